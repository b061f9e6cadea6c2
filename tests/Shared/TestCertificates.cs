using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bank.Testing;

/// <summary>
/// Throwaway certificates for the keys at rest (<c>DataProtection:CertificatePath</c>): made by the test, written as a
/// password-protected .pfx to a temporary folder and deleted with it. No certificate is kept in the repository.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bank-certificates-").FullName;

    /// <summary>A new self-signed RSA certificate with its private key, as a .pfx file; its path and password.</summary>
    public (string Path, string Password) Create(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var password = "Pfx-" + Guid.NewGuid().ToString("N");
        var path = Path.Combine(_folder, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return (path, password);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file changes no result.
        }
    }
}
