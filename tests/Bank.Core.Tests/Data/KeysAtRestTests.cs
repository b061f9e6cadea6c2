using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bank.Core.Data;
using Bank.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bank.Core.Tests.Data;

/// <summary>
/// The Data Protection keys kept in the database are encrypted with the certificate of <c>DataProtection:CertificatePath</c>,
/// keys written under a previous certificate stay readable while it is listed, and a certificate that does not open stops
/// the start naming its key. The certificates are made by the test (nothing is kept in the repository).
/// </summary>
public sealed class KeysAtRestTests : IDisposable
{
    private const string Purpose = "KeysAtRestTests";

    private readonly TestCertificates _certificates = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task The_stored_keys_are_encrypted_and_a_payload_of_the_old_certificate_is_read_after_a_rotation(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(provider);
        var a = _certificates.Create("a");
        var b = _certificates.Create("b");

        string payload;
        await using (var services = Bank(database, Current(a)))
        {
            payload = services.GetDataProtector(Purpose).Protect("the second factor's secret");
        }

        var first = Assert.Single(await StoredKeysAsync(database));
        Assert.DoesNotContain("masterKey", first, StringComparison.Ordinal);
        Assert.Contains("<EncryptedData", first, StringComparison.Ordinal);
        Assert.Contains(CertificateText(a), first, StringComparison.Ordinal);

        // Rotated: B encrypts from now on, A is kept to read what it encrypted.
        await using (var services = Bank(database, Current(b).Concat(Previous(0, a))))
        {
            Assert.Equal("the second factor's secret", services.GetDataProtector(Purpose).Unprotect(payload));

            var now = DateTimeOffset.UtcNow;
            services.GetRequiredService<IKeyManager>().CreateNewKey(now, now.AddDays(90));
        }

        var keys = await StoredKeysAsync(database);
        Assert.Equal(2, keys.Count);
        Assert.DoesNotContain("masterKey", keys[1], StringComparison.Ordinal);
        Assert.Contains(CertificateText(b), keys[1], StringComparison.Ordinal);

        // Without A listed, its key cannot be read: the previous certificate is what keeps the old payloads readable.
        await using (var services = Bank(database, Current(b)))
        {
            Assert.ThrowsAny<CryptographicException>(() => services.GetDataProtector(Purpose).Unprotect(payload));
        }
    }

    [Fact]
    public void A_wrong_password_stops_the_start_naming_the_key()
    {
        var (path, _) = _certificates.Create("wrong-password");

        var error = Assert.Throws<OptionsValidationException>(() => Registration(
            ("DataProtection:CertificatePath", path), ("DataProtection:CertificatePassword", "Not-the-password-1")));

        Assert.Equal($"DataProtection:CertificatePath '{path}' does not open: the password is wrong, or the file is not a PKCS#12 (.pfx) certificate.", Assert.Single(error.Failures));
    }

    [Fact]
    public void A_missing_previous_certificate_or_a_password_without_a_certificate_stops_the_start_naming_the_key()
    {
        var (path, password) = _certificates.Create("current");

        var missing = Assert.Throws<OptionsValidationException>(() => Registration(
            ("DataProtection:CertificatePath", path), ("DataProtection:CertificatePassword", password),
            ("DataProtection:PreviousCertificates:0:Path", "/nonexistent/old.pfx")));
        Assert.StartsWith("DataProtection:PreviousCertificates:0:Path '/nonexistent/old.pfx' does not exist", Assert.Single(missing.Failures), StringComparison.Ordinal);

        var alone = Assert.Throws<OptionsValidationException>(() => Registration(("DataProtection:CertificatePassword", password)));
        Assert.StartsWith("DataProtection:CertificatePassword is set but DataProtection:CertificatePath is not", Assert.Single(alone.Failures), StringComparison.Ordinal);
    }

    public void Dispose() => _certificates.Dispose();

    private static IEnumerable<KeyValuePair<string, string?>> Current((string Path, string Password) certificate) =>
    [
        KeyValuePair.Create("DataProtection:CertificatePath", (string?)certificate.Path),
        KeyValuePair.Create("DataProtection:CertificatePassword", (string?)certificate.Password),
    ];

    private static IEnumerable<KeyValuePair<string, string?>> Previous(int index, (string Path, string Password) certificate) =>
    [
        KeyValuePair.Create($"DataProtection:PreviousCertificates:{index}:Path", (string?)certificate.Path),
        KeyValuePair.Create($"DataProtection:PreviousCertificates:{index}:Password", (string?)certificate.Password),
    ];

    /// <summary>Bank.Core composed by its own registration on the database, with these key settings.</summary>
    private static ServiceProvider Bank(TestDatabase database, IEnumerable<KeyValuePair<string, string?>> settings) =>
        new ServiceCollection().AddLogging().AddBankCore(database.Configuration(settings.ToDictionary())).BuildServiceProvider();

    private static void Registration(params (string Key, string Value)[] settings) =>
        new ServiceCollection().AddLogging().AddBankCore(new ConfigurationBuilder().AddInMemoryCollection(
            settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)).Append(KeyValuePair.Create("ConnectionStrings:Bank", (string?)"Data Source=:memory:"))).Build());

    /// <summary>The certificate as the encrypted key names it (base64 of its DER form).</summary>
    private static string CertificateText((string Path, string Password) certificate)
    {
        using var loaded = X509CertificateLoader.LoadPkcs12FromFile(certificate.Path, certificate.Password);
        return Convert.ToBase64String(loaded.RawData);
    }

    private static async Task<List<string>> StoredKeysAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.DataProtectionKeys.OrderBy(k => k.Id).Select(k => k.Xml ?? "").ToListAsync(Ct);
    }
}
