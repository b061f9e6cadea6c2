namespace Bank.Web.Infrastructure;

/// <summary>Who a request comes from, as the limits per address count it.</summary>
public static class ClientNetwork
{
    /// <summary>The key under which a request's sign-in attempts are counted: its client's address ("unknown" without one).</summary>
    public static string PartitionKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
