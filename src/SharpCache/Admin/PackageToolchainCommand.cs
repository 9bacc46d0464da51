using SharpCache.Toolchains;

namespace SharpCache.Admin;

/// <summary>
/// <c>sharpcache --package-toolchain &lt;EXE&gt; &lt;OUT&gt;</c>, as sccache: packages the compiler EXE into the
/// toolchain archive OUT (tar.gz) for distributed compilation and prints nothing on success. A bad
/// compiler path or an unwritable OUT prints one error line and exits 2, leaving no partial OUT.
/// </summary>
internal static class PackageToolchainCommand
{
    /// <summary><paramref name="args"/> is the command line; EXE and OUT follow <c>--package-toolchain</c>.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stderr);
        var at = -1;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--package-toolchain")
            {
                at = i;
                break;
            }
        }

        if (at < 0 || at + 2 >= args.Count)
        {
            stderr.WriteLine("sharpcache: error: --package-toolchain needs <EXE> <OUT>");
            return 2;
        }

        var (executable, output) = (args[at + 1], Path.GetFullPath(args[at + 2]));
        if (Path.GetDirectoryName(output) is { } directory && !Directory.Exists(directory))
        {
            stderr.WriteLine($"sharpcache: error: cannot write '{output}': directory '{directory}' does not exist");
            return 2;
        }

        var temp = Path.Combine(Path.GetDirectoryName(output) ?? ".", $".{Path.GetFileName(output)}.tmp-{Environment.ProcessId}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                ToolchainPackager.Package(executable, stream);
            }

            File.Move(temp, output, overwrite: true);
            return 0;
        }
        catch (Exception e) when (e is ToolchainPackagingException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"sharpcache: error: cannot package toolchain: {e.Message}");
            return 2;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The directory itself is unwritable: there is no temp file to remove.
        }
    }
}
