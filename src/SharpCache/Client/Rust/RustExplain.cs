using System.Globalization;
using SharpCache.Core.Hashing;

namespace SharpCache.Client.Rust;

/// <summary>
/// <c>--explain</c> / <c>SHARPCACHE_EXPLAIN</c> for rustc calls, like <see cref="Explain"/> for
/// C/C++: each stored compile records its direct-key recipe under <c>&lt;cache&gt;/explain/</c>,
/// named after the crate (name, crate types and basedir-mapped crate root, which survive a
/// change of cargo's <c>-C metadata</c> hash); a later miss of the same crate is compared input
/// by input, in rustc's terms (dependency rlib, <c>--cfg</c>, linker, native library ...).
/// </summary>
internal sealed class RustExplain
{
    private readonly Explain _output;

    public RustExplain(string cacheDirectory, string? destination) => _output = new Explain(cacheDirectory, destination);

    public bool Enabled => _output.Enabled;

    public static string Subject(RustCompileContext context) =>
        "rust crate " + context.Compilation.CrateName + " (" + string.Join(",", context.Compilation.CrateTypes) + ", " + context.Compilation.InputFile + ")";

    public static string Identity(RustCompileContext context) =>
        "rust\t" + context.Compilation.CrateName + "\t" + string.Join(",", context.Compilation.CrateTypes) + "\t" + context.Mapper.Map(context.Compilation.InputFile);

    public void Report(string subject, string verdict) => _output.Report(subject, verdict);

    /// <summary>Identities start with <c>rust\t</c>, so Rust records never collide with C/C++ ones in the shared store.</summary>
    public void Record(string identity, KeyRecipe recipe) => _output.Record(identity, recipe);

    public string DescribeMiss(string identity, KeyRecipe current)
    {
        var recorded = _output.ReadRecorded(identity);
        if (recorded is null)
        {
            return "miss: no earlier compile of this crate is recorded";
        }

        var differences = Diff(recorded, current.Components);
        return differences.Count == 0
            ? "miss: same key inputs as the recorded compile (its entry was evicted, removed or never written)"
            : "miss: " + string.Join("; ", differences);
    }

    /// <summary>The differences between two Rust recipes, in words.</summary>
    public static List<string> Diff(IReadOnlyList<KeyValuePair<string, string>> previous, IReadOnlyList<KeyValuePair<string, string>> current)
    {
        var result = new List<string>();
        var names = new List<string>();
        foreach (var (name, _) in previous.Concat(current))
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

            if (!IsMultiValued(name))
            {
                result.Add(name == "crate-root"
                    ? "crate root source changed: " + Printable(FirstToken(after.FirstOrDefault() ?? before.FirstOrDefault() ?? ""))
                    : $"{Describe(name)} changed: {Printable(string.Join(",", before))} -> {Printable(string.Join(",", after))}");
                continue;
            }

            var removed = MultisetMinus(before, after);
            var added = MultisetMinus(after, before);
            if (removed.Count == 0 && added.Count == 0)
            {
                result.Add(Describe(name) + "s reordered");
                continue;
            }

            // "serde <digest>" before and after: the same dependency with other content.
            foreach (var value in removed.ToList())
            {
                var token = FirstToken(value);
                var match = added.FindIndex(a => FirstToken(a) == token);
                if (match >= 0 && name != "arg" && name != "cfg")
                {
                    result.Add($"{Describe(name)} {Printable(token)} changed" + (name == "env" || name == "link-env" ? $": {Printable(value)} -> {Printable(added[match])}" : ""));
                    added.RemoveAt(match);
                    removed.Remove(value);
                }
            }

            result.AddRange(removed.Select(value => $"{Describe(name)} removed: {Printable(value)}"));
            result.AddRange(added.Select(value => $"{Describe(name)} added: {Printable(value)}"));
        }

        return result;
    }

    private static string FirstToken(string value)
    {
        var cut = value.IndexOfAny([' ', '=']);
        return cut < 0 ? value : value[..cut];
    }

    private static bool IsMultiValued(string name) => name is "arg" or "cfg" or "extern" or "static-lib" or "env" or "native-lib" or "link-env";

    private static string Describe(string name) => name switch
    {
        "format" => "SharpCache key format",
        "rustc.version" => "rustc version",
        "rustc.sysroot-libs" => "rustc toolchain files (compiler, standard library, rust-lld)",
        "basedir" => "base directory mapping",
        "cwd" => "working directory",
        "arg" => "argument",
        "cfg" => "--cfg",
        "extern" => "dependency (--extern)",
        "static-lib" => "static library",
        "target-spec" => "target spec file",
        "env" => "environment variable",
        "linker" => "linker",
        "ld" => "system ld",
        "native-lib" => "native library",
        "link-env" => "linker environment variable",
        _ => name,
    };

    private static List<string> Values(IReadOnlyList<KeyValuePair<string, string>> recipe, string name) => Explain.Values(recipe, name);

    private static List<string> MultisetMinus(List<string> left, List<string> right) => Explain.MultisetMinus(left, right);

    private static string Printable(string value) => Explain.Printable(value);
}
