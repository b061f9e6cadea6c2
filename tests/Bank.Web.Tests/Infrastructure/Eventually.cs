namespace Bank.Web.Tests.Infrastructure;

/// <summary>Waiting for what the app does in the background (a job's tick, a closed connection): up to ten seconds.</summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds, polling every 100 ms; fails the test after ten seconds.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return; // held once: not asked again, since what it reads may move on
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(await condition(), "Timed out waiting.");
    }

    /// <summary>Waits until <paramref name="condition"/> holds (see <see cref="HoldsAsync(Func{Task{bool}})"/>).</summary>
    public static Task HoldsAsync(Func<bool> condition) => HoldsAsync(() => Task.FromResult(condition()));
}
