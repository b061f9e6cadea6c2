using System.Security.Cryptography;
using Bank.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Bank.Core.Auth;

/// <summary>Hashes and checks passwords with ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, iterations raised).</summary>
public sealed class Passwords
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string All = Upper + Lower + Digits;

    private readonly PasswordHasher<User> _hasher;
    private readonly Lazy<string> _dummyHash;

    public Passwords(IOptions<SecurityOptions> options)
    {
        _hasher = new(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.PasswordHashIterations,
        }));
        _dummyHash = new(() => _hasher.HashPassword(null!, Generate()));
    }

    public string Hash(string password) => _hasher.HashPassword(null!, password);

    /// <summary>Whether the password matches; <paramref name="rehash"/> is set when the stored hash uses weaker settings.</summary>
    public bool Verify(string hash, string password, out bool rehash)
    {
        var result = _hasher.VerifyHashedPassword(null!, hash, password);
        rehash = result == PasswordVerificationResult.SuccessRehashNeeded;
        return result != PasswordVerificationResult.Failed;
    }

    /// <summary>Spends the time of a verification, so that an unknown User ID answers as slowly as a wrong password.</summary>
    public void VerifyNothing(string password) =>
        _hasher.VerifyHashedPassword(null!, _dummyHash.Value, password.Length > PasswordPolicy.MaxLength ? password[..PasswordPolicy.MaxLength] : password);

    /// <summary>A random 16-character password of letters and digits (no look-alike characters), shown once.</summary>
    public static string Generate()
    {
        Span<char> chars = stackalloc char[16];
        for (var i = 0; i < chars.Length; i++)
        {
            // Two of each class for certain, the rest from all of them; then shuffled.
            var pool = i switch
            {
                < 2 => Upper,
                < 4 => Lower,
                < 6 => Digits,
                _ => All,
            };
            chars[i] = pool[RandomNumberGenerator.GetInt32(pool.Length)];
        }

        RandomNumberGenerator.Shuffle(chars);
        return new string(chars);
    }
}
