using System.Buffers.Binary;

namespace SharpCache.Toolchains;

/// <summary>
/// Finds the shared libraries an ELF file loads by asking the dynamic loader itself
/// (<c>ld.so --list FILE</c>, what ldd does), so the answer follows the same RUNPATH, ld.so.cache
/// and default directories as the real run. The loader is the file's PT_INTERP.
/// </summary>
internal static class ElfDependencies
{
    private const uint PtInterp = 3;

    public static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenHandle(path);
        return RandomAccess.Read(file, magic, 0) == 4 && magic.SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']);
    }

    /// <summary>The program interpreter (dynamic loader) named by a 64-bit little-endian ELF, or null (a shared library, a static program).</summary>
    public static string? Interpreter(string path)
    {
        using var file = File.OpenHandle(path);
        Span<byte> header = stackalloc byte[64];
        if (RandomAccess.Read(file, header, 0) < 64 || header[4] != 2 || header[5] != 1)
        {
            return null;
        }

        var phoff = BinaryPrimitives.ReadInt64LittleEndian(header[0x20..]);
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x36..]);
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(header[0x38..]);
        Span<byte> ph = stackalloc byte[56];
        for (var i = 0; i < phnum && phentsize >= 56; i++)
        {
            if (RandomAccess.Read(file, ph, phoff + ((long)i * phentsize)) < 56 || BinaryPrimitives.ReadUInt32LittleEndian(ph) != PtInterp)
            {
                continue;
            }

            var offset = BinaryPrimitives.ReadInt64LittleEndian(ph[8..]);
            var size = (int)Math.Min(BinaryPrimitives.ReadInt64LittleEndian(ph[0x20..]), 4096);
            var buffer = new byte[size];
            var read = RandomAccess.Read(file, buffer, offset);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, read).TrimEnd('\0');
        }

        return null;
    }

    /// <summary>Absolute paths of the libraries <paramref name="elf"/> loads (the loader included), as the loader resolves them.</summary>
    public static IReadOnlyList<string> Libraries(string loader, string elf)
    {
        var (exitCode, output) = ToolProcess.Run(loader, "--list", elf);
        if (exitCode != 0)
        {
            // A static program or a file the loader does not map: nothing to add.
            return output.Contains("not a dynamic executable", StringComparison.Ordinal) || output.Contains("statically linked", StringComparison.Ordinal)
                ? []
                : throw new ToolchainPackagingException($"the dynamic loader cannot list the libraries of '{elf}': {output.Trim()}");
        }

        var libraries = new List<string>();
        foreach (var raw in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)", "linux-vdso.so.1 (0x...)"
            var arrow = raw.IndexOf("=>", StringComparison.Ordinal);
            var path = arrow >= 0 ? raw[(arrow + 2)..].Trim() : raw;
            if (path.StartsWith("not found", StringComparison.Ordinal))
            {
                throw new ToolchainPackagingException($"'{elf}' needs '{raw[..arrow].Trim()}', which the dynamic loader cannot find");
            }

            var paren = path.LastIndexOf(" (0x", StringComparison.Ordinal);
            if (paren >= 0)
            {
                path = path[..paren];
            }

            if (path.StartsWith('/'))
            {
                libraries.Add(path);
            }
        }

        return libraries;
    }
}
