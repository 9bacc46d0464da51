using System.Text;
using SharpCache.Core.Hashing;

namespace SharpCache.Client;

/// <summary>
/// Answers "why was this a miss?". Every stored compile leaves its key recipe under
/// <c>&lt;cache&gt;/explain/</c>, named after its source file (basedir-mapped), so that a later miss
/// of the same source can be compared input by input. Reporting is on when
/// <c>SHARPCACHE_EXPLAIN</c> is set or with <c>sharpcache --explain</c>; recording is always on
/// (one small file per miss).
/// </summary>
internal sealed class Explain
{
    private readonly string? _destination;
    private readonly string _directory;

    public Explain(string cacheDirectory, string? destination)
    {
        _directory = Path.Combine(cacheDirectory, "explain");
        _destination = destination;
    }

    /// <summary>
    /// Compiles are forced (<c>SCCACHE_RECACHE</c>): the recipe recorded is most likely the one recorded last time, so it is
    /// compared first (a read instead of a file replaced). Otherwise a miss's recipe differs from the last one and is written.
    /// </summary>
    public bool ForcedRecompiles { get; init; }

    public bool Enabled => _destination is not null;

    /// <summary>Writes one line for this compile, if reporting is on.</summary>
    public void Report(string subject, string verdict)
    {
        if (_destination is null)
        {
            return;
        }

        var line = $"sharpcache explain: {subject}: {verdict}\n";
        try
        {
            if (_destination is "1" or "stderr" or "true")
            {
                using var error = Console.OpenStandardError();
                error.Write(Encoding.UTF8.GetBytes(line));
            }
            else
            {
                AppendLine(_destination, Encoding.UTF8.GetBytes(line));
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// One write(2) on an O_APPEND descriptor: lines from the parallel compiles of a build never
    /// overwrite each other (.NET's append mode seeks and writes at a stale offset instead).
    /// </summary>
    private static unsafe void AppendLine(string path, byte[] line)
    {
        const int OWronly = 0x1, OCreat = 0x40, OAppend = 0x400, OCloexec = 0x80000;
        var fd = NativeMethods.Open(path, OWronly | OCreat | OAppend | OCloexec, 0x1B6);
        if (fd < 0)
        {
            return;
        }

        fixed (byte* data = line)
        {
            _ = NativeMethods.Write(fd, data, line.Length);
        }

        _ = NativeMethods.Close(fd);
    }

    /// <summary>Remembers the recipe that produced the entry now stored for this source.</summary>
    public void Record(string sourceIdentity, KeyRecipe recipe)
    {
        try
        {
            Directory.CreateDirectory(_directory);
            var path = RecordPath(sourceIdentity);
            var text = recipe.Serialize();
            if (ForcedRecompiles && File.Exists(path) && File.ReadAllText(path) == text)
            {
                return;
            }

            var temp = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
            File.WriteAllText(temp, text);
            File.Delete(path); // a rename over a file costs ext4 an immediate data write (see AtomicFile)
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Describes how <paramref name="current"/> differs from the last recipe recorded for this source.</summary>
    public string DescribeMiss(string sourceIdentity, KeyRecipe current)
    {
        var recorded = ReadRecorded(sourceIdentity);
        if (recorded is null)
        {
            return "miss: no earlier compile of this source is recorded";
        }

        var differences = Diff(recorded, current.Components);
        return differences.Count == 0
            ? "miss: same inputs as the recorded compile (its entry was evicted, removed or never written)"
            : "miss: " + string.Join("; ", differences);
    }

    /// <summary>The recipe last recorded under <paramref name="identity"/>, or null.</summary>
    public List<KeyValuePair<string, string>>? ReadRecorded(string identity)
    {
        try
        {
            return KeyRecipe.Deserialize(File.ReadAllText(RecordPath(identity)));
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

    /// <summary>The differences between two recipes, in words.</summary>
    public static List<string> Diff(IReadOnlyList<KeyValuePair<string, string>> previous, IReadOnlyList<KeyValuePair<string, string>> current)
    {
        var result = new List<string>();
        var names = new List<string>();
        foreach (var (name, _) in previous)
        {
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        foreach (var (name, _) in current)
        {
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        foreach (var name in names)
        {
            var before = Values(previous, name);
            var after = Values(current, name);
            if (before.SequenceEqual(after))
            {
                continue;
            }

            if (IsMultiValued(name))
            {
                var removed = MultisetMinus(before, after);
                var added = MultisetMinus(after, before);
                foreach (var value in removed)
                {
                    result.Add($"{Describe(name)} removed: {Printable(value)}");
                }

                foreach (var value in added)
                {
                    result.Add($"{Describe(name)} added: {Printable(value)}");
                }

                if (removed.Count == 0 && added.Count == 0)
                {
                    result.Add($"{Describe(name)}s reordered");
                }
            }
            else
            {
                result.Add($"{Describe(name)} changed: {Printable(string.Join(",", before))} -> {Printable(string.Join(",", after))}");
            }
        }

        return result;
    }

    /// <summary><paramref name="left"/> minus <paramref name="right"/>, counting repeats (an argument given twice, then once, was removed once).</summary>
    internal static List<string> MultisetMinus(List<string> left, List<string> right)
    {
        var remaining = new List<string>(right);
        var result = new List<string>();
        foreach (var value in left)
        {
            if (!remaining.Remove(value))
            {
                result.Add(value);
            }
        }

        return result;
    }

    private string RecordPath(string sourceIdentity)
    {
        using var hasher = new KeyHasher();
        hasher.Add("explain", sourceIdentity);
        return Path.Combine(_directory, hasher.FinishHex()[..40]);
    }

    internal static List<string> Values(IReadOnlyList<KeyValuePair<string, string>> recipe, string name)
    {
        var values = new List<string>();
        foreach (var (n, v) in recipe)
        {
            if (n == name)
            {
                values.Add(v);
            }
        }

        return values;
    }

    private static bool IsMultiValued(string name) => name is "arg" or "pp-arg" or "dep-arg" or "env" or "extra-file" or "dep-rsp";

    private static string Describe(string name) => name switch
    {
        "arg" or "pp-arg" or "dep-arg" => "argument",
        "env" => "environment variable",
        "extra-file" => "extra input file",
        "dep-rsp" => "response file",
        "source" => "source file",
        "preprocessed" => "preprocessed text (a header or macro changed)",
        "compiler.digest" => "compiler binary",
        "compiler.version" => "compiler version",
        "compiler.family" => "compiler family",
        "compiler.cxx-driver" => "compiler driver (C vs C++)",
        "cwd" => "working directory (embedded in debug info)",
        "language" => "language",
        "format" => "SharpCache key format",
        _ => name,
    };

    internal static string Printable(string value) => value.Replace(BasedirMapper.Placeholder, "$BASEDIR", StringComparison.Ordinal);
}
