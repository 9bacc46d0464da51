namespace SharpCache.Dist.Auth;

/// <summary>URL-safe base64 without padding (sccache-dist's <c>URL_SAFE_NO_PAD</c>); decoding also accepts padding.</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static byte[]? TryDecode(string text)
    {
        var trimmed = text.TrimEnd('=');
        if (trimmed.Length == 0 || !System.Buffers.Text.Base64Url.IsValid(trimmed))
        {
            return null;
        }

        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(trimmed);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
