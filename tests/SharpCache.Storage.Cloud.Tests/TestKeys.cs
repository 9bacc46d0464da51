using System.Security.Cryptography;

namespace SharpCache.Storage.Cloud.Tests;

/// <summary>Random cache keys (64 lowercase hex, as the real ones) and values for the tests.</summary>
internal static class TestKeys
{
    public static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string NewPrefix() => "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + "/cache";

    public static byte[] NewValue(int length)
    {
        var value = new byte[length];
        Random.Shared.NextBytes(value);
        return value;
    }

    /// <summary>A bound for every storage call: no test may hang on a server.</summary>
    public static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
