using System.Globalization;
using System.Text;
using SharpCache.Core.Direct;
using SharpCache.Core.Hashing;
using SharpCache.Core.Processes;

namespace SharpCache.Core.Compilers.Rust;

/// <summary>
/// Identifies a rustc: <c>-vV</c>, <c>--print sysroot</c> and the digest of the sysroot's
/// shared libraries (hundreds of MB: librustc_driver, libLLVM) and of each target's standard
/// library and tools (<c>lib/rustlib/TARGET/lib</c> and <c>/bin</c>: the std rlibs and
/// <c>libstd-*.so</c> linked into executables and proc-macros, <c>rust-lld</c> and its
/// <c>gcc-ld</c> wrappers, rustc's default linker on x86_64 Linux since 1.90). All of it is memoised in one
/// small file per executable, valid while the executable and every sysroot library keep their
/// size and mtime, so a compile only stats a few files. A rustup proxy (a link to
/// <c>rustup</c>) is first resolved to its toolchain's rustc, whose stamp does change.
/// </summary>
public sealed class RustcDetector
{
    private const string MemoVersion = "sharpcache-rustc-v3";
    private readonly IProcessRunner _runner;
    private readonly string? _memoDirectory;

    /// <param name="runner">Process seam.</param>
    /// <param name="memoDirectory">Where memo files live; null disables memoisation.</param>
    public RustcDetector(IProcessRunner runner, string? memoDirectory)
    {
        _runner = runner;
        _memoDirectory = memoDirectory;
    }

    /// <summary>True when <paramref name="executablePath"/> is named like rustc (<c>rustc</c>, <c>rustc-1.95</c>, <c>clippy-driver</c>).</summary>
    public static bool LooksLikeRustc(string executablePath)
    {
        var name = Path.GetFileName(executablePath);
        return name is "rustc" or "clippy-driver" || name.StartsWith("rustc-", StringComparison.Ordinal) || name.StartsWith("rustc.", StringComparison.Ordinal);
    }

    /// <summary>The identity, or null when the executable is not a working rustc.</summary>
    public RustcIdentity? Detect(string executablePath, string workingDirectory)
    {
        var executable = ResolveProxy(executablePath, workingDirectory);
        if (executable is null || FileStamp.Read(executable, out var stamp) != FileStampStatus.File)
        {
            return null;
        }

        var memoPath = MemoPath(executable);
        if (memoPath is not null && TryReadMemo(memoPath, executable, stamp) is { } cached)
        {
            return cached;
        }

        var identity = Probe(executable, workingDirectory, out var libraries);
        if (identity is not null && memoPath is not null)
        {
            WriteMemo(memoPath, identity, stamp, libraries);
        }

        return identity;
    }

    private string? ResolveProxy(string executablePath, string workingDirectory)
    {
        string target;
        try
        {
            target = new FileInfo(executablePath).ResolveLinkTarget(returnFinalTarget: true)?.Name ?? Path.GetFileName(executablePath);
        }
        catch (IOException)
        {
            return executablePath;
        }

        if (target != "rustup")
        {
            return executablePath;
        }

        var sysroot = Run(executablePath, ["--print", "sysroot"], workingDirectory);
        if (sysroot is null)
        {
            return null;
        }

        var real = Path.Combine(sysroot.Trim(), "bin", Path.GetFileName(executablePath));
        return File.Exists(real) ? real : null;
    }

    private RustcIdentity? Probe(string executable, string workingDirectory, out List<(string Path, FileStamp Stamp)> libraries)
    {
        libraries = [];
        var version = Run(executable, ["-vV"], workingDirectory);
        if (version is null || !version.StartsWith("rustc ", StringComparison.Ordinal))
        {
            return null;
        }

        var sysroot = Run(executable, ["--print", "sysroot"], workingDirectory)?.Trim();
        if (string.IsNullOrEmpty(sysroot))
        {
            return null;
        }

        using var hasher = new KeyHasher();
        var libDirectory = Path.Combine(sysroot, "lib");
        AddFiles(hasher, libDirectory, libDirectory, SearchOption.TopDirectoryOnly, libraries);
        var rustlib = Path.Combine(libDirectory, "rustlib");
        if (Directory.Exists(rustlib))
        {
            var targets = Directory.GetDirectories(rustlib);
            Array.Sort(targets, StringComparer.Ordinal);
            foreach (var target in targets)
            {
                AddFiles(hasher, libDirectory, Path.Combine(target, "lib"), SearchOption.AllDirectories, libraries);
                AddFiles(hasher, libDirectory, Path.Combine(target, "bin"), SearchOption.AllDirectories, libraries);
            }
        }

        return new RustcIdentity(executable, version, sysroot, hasher.FinishHex());
    }

    private static void AddFiles(KeyHasher hasher, string root, string directory, SearchOption option, List<(string Path, FileStamp Stamp)> libraries)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var files = Directory.GetFiles(directory, "*", option);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (FileStamp.Read(file, out var libStamp) != FileStampStatus.File)
            {
                continue;
            }

            hasher.Add("lib", Path.GetRelativePath(root, file));
            // XXH3-128: the sysroot is ~500 MB (libLLVM, librustc_driver, std); BLAKE3 of it cost
            // a cold build ~1 s, once per concurrent first rustc call.
            hasher.Add("fingerprint", KeyHasher.FingerprintFile(file));
            libraries.Add((file, libStamp));
        }
    }

    private string? Run(string executable, string[] arguments, string workingDirectory)
    {
        try
        {
            var result = _runner.RunCaptured(executable, arguments, workingDirectory);
            return result.ExitCode == 0 ? Encoding.UTF8.GetString(result.Stdout) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private string? MemoPath(string executable)
    {
        if (_memoDirectory is null)
        {
            return null;
        }

        using var hasher = new KeyHasher();
        hasher.Add("rustc", executable);
        return Path.Combine(_memoDirectory, "rustc-" + hasher.FinishHex()[..32]);
    }

    private static string StampText(FileStamp stamp) =>
        stamp.Size.ToString(CultureInfo.InvariantCulture) + " " + stamp.MtimeNs.ToString(CultureInfo.InvariantCulture);

    private static RustcIdentity? TryReadMemo(string memoPath, string executable, FileStamp stamp)
    {
        try
        {
            // Layout: version, executable, stamp, sysroot, digest, library count, (path, stamp) pairs, then the -vV text.
            var lines = Encoding.UTF8.GetString(File.ReadAllBytes(memoPath)).Split('\n');
            if (lines.Length < 7 || lines[0] != MemoVersion || lines[1] != executable || lines[2] != StampText(stamp)
                || !int.TryParse(lines[5], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || lines.Length < 6 + (2 * count))
            {
                return null;
            }

            for (var i = 0; i < count; i++)
            {
                var path = lines[6 + (2 * i)];
                if (FileStamp.Read(path, out var libStamp) != FileStampStatus.File || StampText(libStamp) != lines[7 + (2 * i)])
                {
                    return null;
                }
            }

            var version = string.Join('\n', lines, 6 + (2 * count), lines.Length - 6 - (2 * count));
            return new RustcIdentity(executable, version, lines[3], lines[4]);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void WriteMemo(string memoPath, RustcIdentity identity, FileStamp stamp, List<(string Path, FileStamp Stamp)> libraries)
    {
        try
        {
            var text = new StringBuilder(1024);
            text.Append(MemoVersion).Append('\n').Append(identity.ExecutablePath).Append('\n').Append(StampText(stamp)).Append('\n')
                .Append(identity.Sysroot).Append('\n').Append(identity.SysrootDigest).Append('\n')
                .Append(libraries.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var (path, libStamp) in libraries)
            {
                text.Append(path).Append('\n').Append(StampText(libStamp)).Append('\n');
            }

            text.Append(identity.VersionText);
            Directory.CreateDirectory(Path.GetDirectoryName(memoPath)!);
            var temp = memoPath + ".tmp" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            File.WriteAllText(temp, text.ToString());
            File.Move(temp, memoPath, overwrite: true);
        }
        catch (IOException)
        {
            // Memoisation is an optimisation: an unwritable cache directory only costs a re-probe.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
