namespace Bank.Web.Tests.Infrastructure;

/// <summary>Waiting for what the app does in the background (a job's tick, a closed connection): up to ten seconds.</summary>
public static class Eventually
{
    /// <summary>
    /// Waits until <paramref name="condition"/> holds, polling every 100 ms; fails the test after ten seconds, with what
    /// <paramref name="lastLook"/> says of the condition's last look when it is given.
    /// </summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string>? lastLook = null)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return; // held once: not asked again, since what it reads may move on
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(await condition(), lastLook is null ? "Timed out waiting." : "Timed out waiting; last look: " + lastLook());
    }

    /// <summary>Waits until <paramref name="condition"/> holds (see <see cref="HoldsAsync(Func{Task{bool}}, Func{string}?)"/>).</summary>
    public static Task HoldsAsync(Func<bool> condition) => HoldsAsync(() => Task.FromResult(condition()));
}
