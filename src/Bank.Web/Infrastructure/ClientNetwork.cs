using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Bank.Web.Infrastructure;

/// <summary>
/// Who the client is behind a reverse proxy: only the proxies of <see cref="ProxyOptions"/> may name the client's address
/// (<c>X-Forwarded-For</c>) and scheme (<c>X-Forwarded-Proto</c>); and the network a client is counted by in the sign-in limit.
/// </summary>
public static class ClientNetwork
{
    /// <summary>The partition of a request whose address is not known (the test server gives none).</summary>
    public const string Unknown = "unknown";

    /// <summary>
    /// The sign-in limit's partition of the request's client (after the forwarded headers of a known proxy are applied): an
    /// IPv4 address as it is (an IPv4-mapped IPv6 address as its IPv4 address); an IPv6 address by its /64 prefix, since
    /// one subscriber usually has a whole /64 and would otherwise get a new limit with every address in it.
    /// </summary>
    public static string PartitionKey(HttpContext context) => PartitionKey(context.Connection.RemoteIpAddress);

    /// <summary>The partition of <paramref name="address"/> (see <see cref="PartitionKey(HttpContext)"/>).</summary>
    public static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>
    /// Registers the proxy settings (checked at start) and the framework's forwarded-headers options built from them:
    /// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> (not the host), honoured only from the listed proxies and networks.
    /// Loopback is not trusted by default (the framework's default): a proxy on the same host is listed like any other.
    /// </summary>
    public static IServiceCollection AddClientNetwork(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((o, proxies) =>
        {
            // With both lists empty the middleware would check nobody and believe everyone: no proxy listed, no header read.
            var listed = proxies.Value.Proxies.Count > 0 || proxies.Value.Networks.Count > 0;
            o.ForwardedHeaders = listed ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            // The framework trusts loopback by default (in KnownProxies, KnownIPNetworks and the obsolete KnownNetworks): all cleared.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // The obsolete list is still read by the middleware, and holds 127.0.0.0/8 unless cleared.
            o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in proxies.Value.Proxies)
            {
                o.KnownProxies.Add(proxy);
            }

            foreach (var network in proxies.Value.Networks)
            {
                o.KnownIPNetworks.Add(network);
            }

            // Each hop is taken from the right only while the address it came from is a known proxy, so a chain of
            // listed proxies is walked back to the first address that is not one (the client); the count is not capped.
            o.ForwardLimit = null;
        });
        return services;
    }
}

/// <summary>
/// The reverse proxies whose forwarded headers are believed (section <c>ForwardedHeaders</c>). Lists are comma-separated.
/// Empty (the default): nobody's; the client is the address the connection comes from.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of the proxies, for example <c>10.0.0.5, fd00::5</c>.</summary>
    public string KnownProxies { get; set; } = "";

    /// <summary>Networks of proxies in CIDR notation, for example <c>10.0.0.0/24, fd00::/64</c>.</summary>
    public string KnownNetworks { get; set; } = "";

    /// <summary>The proxies' addresses (those that parse; the validation names the others).</summary>
    public IReadOnlyList<IPAddress> Proxies => NetworkText.Items(KnownProxies).Where(NetworkText.IsAddress).Select(IPAddress.Parse).ToList();

    /// <summary>The proxies' networks (those that parse; the validation names the others).</summary>
    public IReadOnlyList<System.Net.IPNetwork> Networks =>
        [.. NetworkText.Items(KnownNetworks).Select(n => NetworkText.TryParseNetwork(n, bareAddress: false, out var network) ? network : (System.Net.IPNetwork?)null)
            .OfType<System.Net.IPNetwork>()];

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in NetworkText.Items(KnownProxies).Where(p => !NetworkText.IsAddress(p)))
        {
            yield return new ValidationResult(
                $"ForwardedHeaders:KnownProxies has '{proxy}', which is not an IP address (for example 10.0.0.5 or fd00::5; networks go in ForwardedHeaders:KnownNetworks).",
                [nameof(KnownProxies)]);
        }

        foreach (var network in NetworkText.Items(KnownNetworks).Where(n => !NetworkText.TryParseNetwork(n, bareAddress: false, out _)))
        {
            yield return new ValidationResult(
                $"ForwardedHeaders:KnownNetworks has '{network}', which is not a network in CIDR notation (for example 10.0.0.0/24 or fd00::/64; the bits after the prefix are zero).",
                [nameof(KnownNetworks)]);
        }
    }

}

/// <summary>How settings write addresses and networks (proxies, the metrics' allowed networks): one reading for all of them.</summary>
public static class NetworkText
{
    /// <summary>The items of a list setting, separated by commas, semicolons or spaces.</summary>
    public static string[] Items(string? list) =>
        (list ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An address written in full: IPv6, or IPv4 with its four parts (not the shorthands such as <c>10.1</c>).</summary>
    public static bool IsAddress(string text) =>
        IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 || text.Count(c => c == '.') == 3);

    /// <summary>
    /// A network in CIDR notation whose address has no bits set after the prefix (<c>10.0.0.1/8</c> is a mistake, not
    /// 10.0.0.0/8); with <paramref name="bareAddress"/>, an address alone is the network of that one host.
    /// </summary>
    public static bool TryParseNetwork(string text, bool bareAddress, out System.Net.IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            if (!bareAddress || !IsAddress(text))
            {
                return false;
            }

            var host = IPAddress.Parse(text);
            network = new System.Net.IPNetwork(host, host.GetAddressBytes().Length * 8);
            return true;
        }

        return System.Net.IPNetwork.TryParse(text, out network) && IsAddress(text[..slash]) && network.BaseAddress.Equals(IPAddress.Parse(text[..slash]));
    }
}
