using System.Security.Cryptography;

namespace SharpCache.Dist.Auth;

/// <summary>Random secrets in sccache-dist's shapes (URL-safe base64, no padding).</summary>
public static class SharedTokens
{
    /// <summary>32 random bytes: a <c>server_auth.secret_key</c> for <c>jwt_hs256</c>.</summary>
    public static string NewHs256Key() => Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary><paramref name="bits"/> random bits (a multiple of 8 in [64, 4096]) for <c>token</c> auth.</summary>
    public static string NewSharedToken(int bits)
    {
        if (bits % 8 != 0 || bits < 64 || bits > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "must be a multiple of 8 between 64 and 4096");
        }

        return Base64Url.Encode(RandomNumberGenerator.GetBytes(bits / 8));
    }

    /// <summary>Constant-time comparison of two secrets.</summary>
    public static bool Equal(string a, string b)
        => CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));
}
