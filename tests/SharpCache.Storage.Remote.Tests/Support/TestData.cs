namespace SharpCache.Storage.Remote.Tests.Support;

/// <summary>Random cache keys (64 lowercase hex, as the client makes them) and values.</summary>
internal static class TestData
{
    public static string Key() => Convert.ToHexStringLower(Random.Shared.GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 32));

    public static byte[] Bytes(int length)
    {
        var data = new byte[length];
        Random.Shared.NextBytes(data);
        return data;
    }

    /// <summary>Polls <paramref name="condition"/> until true or <paramref name="timeout"/> passes; returns the last answer.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }
    }
}
