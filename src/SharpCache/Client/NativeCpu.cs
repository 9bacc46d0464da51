using System.Text;

namespace SharpCache.Client;

/// <summary>
/// "native" processor options: gcc's and clang's <c>-march=native</c>, <c>-mtune=native</c>, <c>-mcpu=native</c> and
/// rustc's <c>-C target-cpu=native</c> stand for whatever processor compiles, so the same command line makes different
/// objects on different machines (and an object for a newer processor dies with SIGILL on an older one). Such a compile
/// is keyed also by this machine's processor (<see cref="Fingerprint"/>: a cache shared between machines then serves it
/// only to machines with the same processor, as ccache does since its issue 824) and never sent to a build server,
/// whose processor would be the one asked for.
/// </summary>
internal static class NativeCpu
{
    /// <summary>The lines of a processor's block in <c>/proc/cpuinfo</c> that name it and what it can do (x86, arm64, POWER, RISC-V).</summary>
    private static readonly HashSet<string> StableFields = new(StringComparer.Ordinal)
    {
        "vendor_id", "cpu family", "model", "model name", "stepping", "flags", "cache size",
        "CPU implementer", "CPU architecture", "CPU variant", "CPU part", "CPU revision", "Features",
        "cpu", "isa", "uarch",
    };

    private static string? _fingerprint;

    /// <summary>Whether <paramref name="arguments"/> (as parsed: rustc's codegen options as <c>-C name=value</c>) ask for the processor that compiles.</summary>
    public static bool IsNamedBy(IEnumerable<string> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument is "-march=native" or "-mtune=native" or "-mcpu=native" or "-C target-cpu=native")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a C/C++ compile asks for the processor that compiles (in its code-generation or preprocessor arguments).</summary>
    public static bool IsNamedBy(Core.Compilers.ParsedCompilation compilation) =>
        IsNamedBy(compilation.HashedArguments) || IsNamedBy(compilation.PreprocessArguments ?? []);

    /// <summary>This machine's processor: the identifying lines of the first processor in <c>/proc/cpuinfo</c>, else the machine's name.</summary>
    public static string Fingerprint => _fingerprint ??= FromCpuinfo(ReadFirstProcessor()) ?? "machine " + Environment.MachineName;

    /// <summary>
    /// The identifying lines of the first processor's block (up to the first blank line), in their order; null when there
    /// are none. Lines that differ between the cores of one machine or over time (processor, core id, apicid, cpu MHz,
    /// bogomips) are left out.
    /// </summary>
    internal static string? FromCpuinfo(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var kept = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                if (kept.Length > 0)
                {
                    break; // the end of the first processor's block
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && StableFields.Contains(line[..colon].Trim()))
            {
                kept.Append(line[..colon].Trim()).Append(": ").Append(line[(colon + 1)..].Trim()).Append('\n');
            }
        }

        return kept.Length == 0 ? null : kept.ToString();
    }

    /// <summary>
    /// The start of <c>/proc/cpuinfo</c>, enough for its first processor (the kernel writes each processor's block as it is
    /// read: a machine of many cores does not pay for all of them).
    /// </summary>
    private static string? ReadFirstProcessor()
    {
        try
        {
            using var file = new FileStream("/proc/cpuinfo", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            var buffer = new byte[16 * 1024];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = file.Read(buffer, filled, buffer.Length - filled)) > 0)
            {
                filled += read;
                if (buffer.AsSpan(0, filled).IndexOf("\n\n"u8) >= 0)
                {
                    break;
                }
            }

            return Encoding.UTF8.GetString(buffer, 0, filled);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
