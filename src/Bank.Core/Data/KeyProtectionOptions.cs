using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bank.Core.Data;

/// <summary>
/// The certificate that encrypts the Data Protection keys where they are kept, in the database (section
/// <c>DataProtection</c>). Unset: the keys are stored as they are, readable by whoever reads the database. Read and the
/// certificates opened while the services are registered, so that a wrong path or password stops the start.
/// </summary>
/// <remarks>
/// Rotation: the new certificate becomes <see cref="CertificatePath"/>, the old one moves to <see cref="PreviousCertificates"/>.
/// New keys are encrypted with the current certificate only; keys written under a previous one stay readable as long as it is
/// listed. Keys are never deleted and an expired key still reads what it protected (a second factor's secret), so a
/// previous certificate stays listed while any stored key names it.
/// </remarks>
public sealed class KeyProtectionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DataProtection";

    /// <summary>A PKCS#12 (.pfx) file with an RSA certificate and its private key; new keys are encrypted with it.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/> (none when unset).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Certificates used before, which only decrypt: keys encrypted with them stay readable after a rotation.</summary>
    public List<PreviousCertificate> PreviousCertificates { get; set; } = [];

    /// <summary>Whether the keys are encrypted at rest.</summary>
    public bool EncryptsKeys => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Reads the section; nothing is opened yet.</summary>
    public static KeyProtectionOptions Read(IConfiguration configuration)
    {
        var options = new KeyProtectionOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }

    /// <summary>
    /// Opens the certificates and has Data Protection encrypt new keys with the current one and decrypt with any of them;
    /// throws <see cref="OptionsValidationException"/> naming every setting that does not open.
    /// </summary>
    public void Apply(IDataProtectionBuilder builder)
    {
        var problems = new List<string>();
        if (!EncryptsKeys)
        {
            if (!string.IsNullOrEmpty(CertificatePassword))
            {
                problems.Add("DataProtection:CertificatePassword is set but DataProtection:CertificatePath is not: name the certificate file.");
            }

            if (PreviousCertificates.Count > 0)
            {
                problems.Add("DataProtection:PreviousCertificates is set but DataProtection:CertificatePath is not: the previous certificates only decrypt, name the current one.");
            }

            Fail(problems);
            return;
        }

        var current = Open($"{Section}:CertificatePath", CertificatePath!, CertificatePassword, problems);
        var previous = PreviousCertificates
            .Select((p, i) => Open($"{Section}:PreviousCertificates:{i}:Path", p.Path ?? "", p.Password, problems))
            .OfType<X509Certificate2>()
            .ToArray();
        Fail(problems);
        builder.ProtectKeysWithCertificate(current!);
        if (previous.Length > 0)
        {
            builder.UnprotectKeysWithAnyCertificate(previous);
        }
    }

    private static void Fail(List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Section, typeof(KeyProtectionOptions), problems);
        }
    }

    private static X509Certificate2? Open(string key, string path, string? password, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Add($"{key} is empty: name a .pfx file.");
            return null;
        }

        if (!File.Exists(path))
        {
            problems.Add($"{key} '{path}' does not exist (or this process may not read it).");
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password);
        }
        catch (CryptographicException)
        {
            problems.Add($"{key} '{path}' does not open: the password is wrong, or the file is not a PKCS#12 (.pfx) certificate.");
            return null;
        }
        catch (IOException ex)
        {
            problems.Add($"{key} '{path}' cannot be read: {ex.Message}");
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            problems.Add($"{key} '{path}' cannot be read: this process may not read it.");
            return null;
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
        {
            problems.Add($"{key} '{path}' must hold an RSA certificate with its private key (the keys are encrypted to it and read back with it).");
            certificate.Dispose();
            return null;
        }

        return certificate;
    }
}

/// <summary>A certificate that encrypted the keys before a rotation (section <c>DataProtection:PreviousCertificates:n</c>).</summary>
public sealed class PreviousCertificate
{
    /// <summary>Its .pfx file.</summary>
    public string? Path { get; set; }

    /// <summary>Its password (none when unset).</summary>
    public string? Password { get; set; }
}
