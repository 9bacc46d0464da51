using System.Diagnostics;
using System.Formats.Tar;
using System.Text.RegularExpressions;

namespace SharpCache.Dist.Tests.Integration;

/// <summary>Packs host executables and every shared library ldd lists into a toolchain tar, by hand (the product's auto-packager is client work).</summary>
internal static partial class ToolchainPacker
{
    public static byte[] Pack(IEnumerable<(string HostPath, string ArchivePath)> executables, IEnumerable<(string Name, string Content)>? scripts = null)
    {
        var files = new SortedDictionary<string, (string Host, UnixFileMode Mode)>(StringComparer.Ordinal);
        foreach (var (host, archive) in executables)
        {
            files[archive.TrimStart('/')] = (host, (UnixFileMode)0x1ED);
            foreach (var lib in Libraries(host))
            {
                files.TryAdd(lib.TrimStart('/'), (lib, (UnixFileMode)0x1ED));
            }
        }

        var builder = new TarBuilder().Dir("tmp");
        foreach (var (name, (host, mode)) in files)
        {
            builder.HostFile(name, new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? host, mode);
        }

        foreach (var (name, content) in scripts ?? [])
        {
            builder.File(name.TrimStart('/'), content, (UnixFileMode)0x1ED);
        }

        return builder.ToArray();
    }

    public static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(30_000);
        return output.Trim();
    }

    private static IEnumerable<string> Libraries(string executable)
    {
        foreach (Match match in LddPath().Matches(Run("ldd", executable)))
        {
            yield return match.Groups[1].Value;
        }
    }

    [GeneratedRegex(@"(/[^\s]+\.so[^\s]*) \(0x", RegexOptions.CultureInvariant)]
    private static partial Regex LddPath();
}
