using System.ComponentModel.DataAnnotations;
using System.Net;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Bank.Web.Tests.Security;

/// <summary>
/// What the sign-in limit counts a client by (<see cref="ClientNetwork.PartitionKey(HttpContext)"/>), and the proxy
/// settings' rules (<see cref="ProxyOptions"/>): a mistake names its key.
/// </summary>
public sealed class ClientNetworkTests
{
    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData("::1", "::/64")]
    public void An_ipv4_client_is_counted_by_its_address_and_an_ipv6_client_by_its_64(string address, string partition)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);

        Assert.Equal(partition, ClientNetwork.PartitionKey(context));
    }

    [Fact]
    public void Two_addresses_of_one_64_share_a_partition_and_another_64_does_not()
    {
        Assert.Equal(ClientNetwork.PartitionKey(IPAddress.Parse("2001:db8:a:b::1")), ClientNetwork.PartitionKey(IPAddress.Parse("2001:db8:a:b:ffff:ffff:ffff:ffff")));
        Assert.NotEqual(ClientNetwork.PartitionKey(IPAddress.Parse("2001:db8:a:b::1")), ClientNetwork.PartitionKey(IPAddress.Parse("2001:db8:a:c::1")));
        Assert.NotEqual(ClientNetwork.PartitionKey(IPAddress.Parse("203.0.113.9")), ClientNetwork.PartitionKey(IPAddress.Parse("203.0.113.10")));
    }

    [Fact]
    public void A_request_without_an_address_has_one_partition() =>
        Assert.Equal(ClientNetwork.Unknown, ClientNetwork.PartitionKey(new DefaultHttpContext()));

    [Fact]
    public void Proxies_and_networks_are_read_from_comma_separated_lists()
    {
        var options = new ProxyOptions { KnownProxies = "10.0.0.5, fd00::5", KnownNetworks = "10.1.0.0/16;fd00:1::/64" };

        Assert.Empty(Problems(options));
        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.Parse("fd00::5")], options.Proxies);
        Assert.Equal([IPNetwork.Parse("10.1.0.0/16"), IPNetwork.Parse("fd00:1::/64")], options.Networks);
    }

    [Theory]
    [InlineData("10.0.0.300", "", "ForwardedHeaders:KnownProxies has '10.0.0.300'")]
    [InlineData("10.1", "", "ForwardedHeaders:KnownProxies has '10.1'")]
    [InlineData("10.0.0.0/8", "", "ForwardedHeaders:KnownProxies has '10.0.0.0/8'")]
    [InlineData("", "10.0.0.1/8", "ForwardedHeaders:KnownNetworks has '10.0.0.1/8'")]
    [InlineData("", "proxy.internal", "ForwardedHeaders:KnownNetworks has 'proxy.internal'")]
    public void A_proxy_that_is_not_an_address_or_a_network_that_is_not_cidr_is_refused_naming_the_key(string proxies, string networks, string message) =>
        Assert.Contains(Problems(new ProxyOptions { KnownProxies = proxies, KnownNetworks = networks }), p => p.StartsWith(message, StringComparison.Ordinal));

    private static List<string> Problems(ProxyOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? "").ToList();
    }
}
