using System.Security.Cryptography;
using System.Text;

namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>RFC 7636 S256: a verifier of 32 random bytes (URL-safe base64, 43 characters) and its SHA-256 challenge; and a random <c>state</c>.</summary>
internal static class Pkce
{
    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>128 random bits, hex: the anti-forgery <c>state</c> the redirect must carry back.</summary>
    public static string NewState() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
