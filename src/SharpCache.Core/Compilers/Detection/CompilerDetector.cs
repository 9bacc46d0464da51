using System.Globalization;
using SharpCache.Core.Hashing;
using SharpCache.Core.Processes;

namespace SharpCache.Core.Compilers.Detection;

/// <summary>
/// Identifies a compiler by asking it for its predefined macros, and memoises the answer in a
/// small file per executable (keyed by path, validated by the resolved file's size and mtime) so
/// that a compile does not re-hash the compiler binary or re-run the probe.
/// </summary>
public sealed class CompilerDetector
{
    private const string MemoVersion = "sharpcache-compiler-v2";
    private readonly IProcessRunner _runner;
    private readonly string? _memoDirectory;

    /// <param name="runner">Process seam.</param>
    /// <param name="memoDirectory">Where memo files live; null disables memoisation.</param>
    public CompilerDetector(IProcessRunner runner, string? memoDirectory)
    {
        _runner = runner;
        _memoDirectory = memoDirectory;
    }

    /// <summary>Returns the identity, or null when the executable is not a gcc- or clang-compatible compiler.</summary>
    public CompilerIdentity? Detect(string executablePath, string workingDirectory)
    {
        // stat follows symlinks: the stamp is the real binary's (a compiler upgrade changes it).
        if (Direct.FileStamp.Read(executablePath, out var stamp) != Direct.FileStampStatus.File)
        {
            return null;
        }

        var size = stamp.Size;
        var mtime = stamp.MtimeNs;
        var isCxx = IsCxxDriverName(Path.GetFileName(executablePath));
        var memoPath = MemoPath(executablePath);
        if (memoPath is not null && TryReadMemo(memoPath, executablePath, size, mtime) is { } cached)
        {
            return cached with { IsCxxDriver = isCxx };
        }

        var identity = Probe(executablePath, workingDirectory);
        if (identity is null)
        {
            return null;
        }

        identity = identity with { IsCxxDriver = isCxx };
        if (memoPath is not null)
        {
            WriteMemo(memoPath, identity, size, mtime);
        }

        return identity;
    }

    /// <summary>g++, clang++, c++, x86_64-linux-gnu-g++-12 ...</summary>
    public static bool IsCxxDriverName(string fileName) =>
        fileName.Contains("++", StringComparison.Ordinal) || fileName is "c++" || fileName.StartsWith("c++-", StringComparison.Ordinal);

    private CompilerIdentity? Probe(string executablePath, string workingDirectory)
    {
        ProcessResult result;
        try
        {
            result = _runner.RunCaptured(executablePath, ["-dM", "-E", "-x", "c", "/dev/null"], workingDirectory);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        if (result.ExitCode != 0)
        {
            return null;
        }

        var text = System.Text.Encoding.UTF8.GetString(result.Stdout);
        string? version = null;
        var clang = false;
        var gnuc = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("#define __clang__ ", StringComparison.Ordinal))
            {
                clang = true;
            }
            else if (line.StartsWith("#define __GNUC__ ", StringComparison.Ordinal))
            {
                gnuc = true;
            }
            else if (line.StartsWith("#define __VERSION__ ", StringComparison.Ordinal))
            {
                version = line["#define __VERSION__ ".Length..].Trim().Trim('"');
            }
        }

        if (!clang && !gnuc)
        {
            return null;
        }

        var family = clang ? CompilerFamily.Clang : CompilerFamily.Gcc;
        return new CompilerIdentity(executablePath, family, version ?? "unknown", KeyHasher.HashFile(executablePath));
    }

    private string? MemoPath(string executablePath)
    {
        if (_memoDirectory is null)
        {
            return null;
        }

        using var hasher = new KeyHasher();
        hasher.Add("path", executablePath);
        return Path.Combine(_memoDirectory, hasher.FinishHex()[..32]);
    }

    private static CompilerIdentity? TryReadMemo(string memoPath, string executablePath, long size, long mtime)
    {
        try
        {
            // Hit path: one read, no StreamReader.
            var lines = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(memoPath)).Split('\n');
            if (lines.Length < 7 || lines[0] != MemoVersion || lines[1] != executablePath
                || lines[2] != size.ToString(CultureInfo.InvariantCulture)
                || lines[3] != mtime.ToString(CultureInfo.InvariantCulture)
                || !Enum.TryParse<CompilerFamily>(lines[4], out var family)
                || lines[5].Length != 64)
            {
                return null;
            }

            return new CompilerIdentity(executablePath, family, lines[6], lines[5]);
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

    private static void WriteMemo(string memoPath, CompilerIdentity identity, long size, long mtime)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(memoPath)!);
            var temp = memoPath + ".tmp" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            File.WriteAllLines(temp,
            [
                MemoVersion,
                identity.ExecutablePath,
                size.ToString(CultureInfo.InvariantCulture),
                mtime.ToString(CultureInfo.InvariantCulture),
                identity.Family.ToString(),
                identity.Digest,
                identity.Version,
            ]);
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
