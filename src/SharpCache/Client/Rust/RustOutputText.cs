using System.Text;

namespace SharpCache.Client.Rust;

/// <summary>
/// Text outputs (the dep-info file, rustc's stdout/stderr) name the output directory: cargo's
/// <c>{"$message_type":"artifact","artifact":"/abs/target/debug/deps/libx-h.rmeta"}</c> lines
/// and the dep-info targets. The output directory is not in the key (cargo's target directory
/// may move), so stored text holds a placeholder for it, and under base directories the
/// checkout is mapped too; restoring puts this compile's paths back.
/// </summary>
internal static class RustOutputText
{
    public const string OutDirPlaceholder = "\u0001SHARPCACHE_OUTDIR\u0001";

    private static readonly byte[] PlaceholderBytes = Encoding.UTF8.GetBytes(OutDirPlaceholder);

    public static byte[] ToStored(byte[] content, RustCompileContext context)
    {
        var mapped = Replace(content, Encoding.UTF8.GetBytes(context.Compilation.OutDir), PlaceholderBytes, checkBoundary: true);
        return context.Mapper.IsActive ? context.Mapper.MapFileForStore(mapped) : mapped;
    }

    public static byte[] FromStored(byte[] content, RustCompileContext context)
    {
        var restored = context.Mapper.IsActive ? context.Mapper.RestoreFile(content) : content;
        return Replace(restored, PlaceholderBytes, Encoding.UTF8.GetBytes(context.Compilation.OutDir), checkBoundary: false);
    }

    private static byte[] Replace(byte[] content, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool checkBoundary)
    {
        if (from.IsEmpty || content.AsSpan().IndexOf(from) < 0)
        {
            return content;
        }

        using var output = new MemoryStream(content.Length + 64);
        var span = content.AsSpan();
        var i = 0;
        while (i < span.Length)
        {
            var rel = span[i..].IndexOf(from);
            if (rel < 0)
            {
                break;
            }

            var at = i + rel;
            var end = at + from.Length;
            output.Write(span[i..at]);
            var boundary = end == span.Length || span[end] is (byte)'/' or (byte)'"' or (byte)':' or (byte)' ' or (byte)'\n' or (byte)'\\' or (byte)'\t';
            output.Write(!checkBoundary || boundary ? to : from);
            i = end;
        }

        output.Write(span[i..]);
        return output.ToArray();
    }
}
