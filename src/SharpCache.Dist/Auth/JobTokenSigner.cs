using System.Security.Cryptography;
using System.Text.Json;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Auth;

/// <summary>
/// Signs and checks job tokens: <c>base64url(JSON claims) "." base64url(HMAC-SHA256(key, JSON claims))</c>.
/// The key is the build server's own random 32 bytes, sent to the scheduler in each heartbeat, so a
/// server accepts only jobs the scheduler allocated to it. Thread-safe.
/// </summary>
public sealed class JobTokenSigner
{
    public const int KeySize = 32;

    private readonly byte[] _key;

    public JobTokenSigner(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNotEqual(key.Length, KeySize);
        _key = key;
    }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeySize);

    public string Sign(JobTokenClaims claims)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, DistJsonContext.Default.JobTokenClaims);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, payload, mac);
        return $"{Base64Url.Encode(payload)}.{Base64Url.Encode(mac)}";
    }

    /// <summary>The claims of a token this key signed, or null (bad shape or signature). Expiry is the caller's check.</summary>
    public JobTokenClaims? Verify(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || Base64Url.TryDecode(token[..dot]) is not { } payload || Base64Url.TryDecode(token[(dot + 1)..]) is not { } mac)
        {
            return null;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, payload, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(payload, DistJsonContext.Default.JobTokenClaims);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
