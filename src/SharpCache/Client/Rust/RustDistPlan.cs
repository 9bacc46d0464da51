using System.Collections;
using SharpCache.Core.Compilers.Rust;
using SharpCache.Protocol;

namespace SharpCache.Client.Rust;

/// <summary>
/// How one rustc compile goes to the cluster (<c>[dist] scheduler_url</c>): only crates that do not link
/// (<c>lib</c>/<c>rlib</c>; the toolchain carries no host linker), with the arguments unchanged (the build
/// server runs the job at the same absolute paths). Inputs: every dep-info source (modules, <c>include!</c>d
/// files under <c>OUT_DIR</c>), every <c>--extern</c> file, and every <c>*.rlib</c>/<c>*.rmeta</c>/<c>*.so</c>/<c>*.a</c>
/// in the <c>-L dependency=</c>/<c>crate=</c>/<c>all=</c>/<c>native=</c> directories, where rustc resolves transitive
/// crates and bundled static libraries — but of a crate found there as both <c>.rlib</c> and <c>.rmeta</c>, only the
/// <c>.rmeta</c>: a crate that does not link reads only its dependencies' metadata (what cargo's pipelining relies on),
/// and the rlibs' code made a late crate's inputs exceed the frame limit (7 of the Rust fixture's 26 library crates
/// stayed local). sccache filters the directories to the crates actually depended on; we send every crate's metadata,
/// within <see cref="MaxInputBytes"/>. Outputs: what the cache stores (rlib/rmeta/.d in <c>--out-dir</c>).
/// </summary>
internal sealed record RustDistPlan(
    IReadOnlyList<string> InputPaths,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<string> RequiredOutputs)
{
    /// <summary>Above this total the compile stays local.</summary>
    public const long MaxInputBytes = 256L << 20;

    private static readonly string[] SearchKinds = ["dependency", "crate", "all", "native"];
    private static readonly string[] LibraryExtensions = [".rlib", ".rmeta", ".so", ".a"];

    /// <summary>Variables other than <c>CARGO_*</c>/<c>OUT_DIR</c> that change what rustc accepts or prints.</summary>
    private static readonly string[] ForwardedEnvironment = ["RUSTC_BOOTSTRAP", "LANG", "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "TERM"];

    /// <summary>True when the compile may run remotely: every crate type is <c>lib</c>/<c>rlib</c> and no custom target spec is read.</summary>
    public static bool IsDistributable(RustCompilation compilation) =>
        compilation.CrateTypes.Count > 0
        && compilation.CrateTypes.All(type => type is "lib" or "rlib")
        && !compilation.LinksWithSystemLinker
        && compilation.Target?.EndsWith(".json", StringComparison.Ordinal) != true
        && !NativeCpu.IsNamedBy(compilation.HashedArguments); // -C target-cpu=native: a build server's processor would be another one

    /// <summary>The plan, or null when the compile stays local (the reason went to the log).</summary>
    public static RustDistPlan? For(RustCompileContext context, RustDepInfo depInfo, IReadOnlyList<string> arguments, IDictionary environment)
    {
        var compilation = context.Compilation;
        if (!IsDistributable(compilation))
        {
            return null;
        }

        var cwd = context.WorkingDirectory;
        var inputs = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string path)
        {
            var full = Path.GetFullPath(path, cwd);
            if (seen.Add(full))
            {
                inputs.Add(full);
            }
        }

        foreach (var source in depInfo.Sources)
        {
            Add(source);
        }

        foreach (var item in compilation.Externs)
        {
            if (item.Path is not null)
            {
                Add(item.Path);
            }
        }

        foreach (var directory in SearchDirectories(arguments, cwd))
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            var files = Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal).ToList();
            var metadata = files.Where(f => f.EndsWith(".rmeta", StringComparison.Ordinal)).Select(f => f[..^".rmeta".Length]).ToHashSet(StringComparer.Ordinal);
            foreach (var file in files)
            {
                if (LibraryExtensions.Any(ext => file.EndsWith(ext, StringComparison.Ordinal))
                    && !(file.EndsWith(".rlib", StringComparison.Ordinal) && metadata.Contains(file[..^".rlib".Length])))
                {
                    Add(file); // an --extern rlib is already in (added above), metadata or not
                }
            }
        }

        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in environment)
        {
            var name = (string)entry.Key;
            if ((name.StartsWith("CARGO_", StringComparison.Ordinal) && name != "CARGO_MAKEFLAGS") || name == "OUT_DIR")
            {
                env[name] = (string?)entry.Value ?? "";
            }
        }

        foreach (var name in ForwardedEnvironment.Concat(depInfo.EnvDependencies.Select(dep => dep.Key)))
        {
            if (environment[name] is string value)
            {
                env[name] = value;
            }
        }

        var outputs = RustOutputNames.For(compilation).Select(name => Path.Combine(context.OutDir, name)).ToList();
        var required = outputs.Where(path => !path.EndsWith(".d", StringComparison.Ordinal)).ToList();
        return new RustDistPlan(inputs, env.ToList(), outputs, required);
    }

    /// <summary>The absolute directories of the <c>-L</c> kinds rustc searches for crates and bundled libraries (<c>-L path</c> is <c>all</c>).</summary>
    public static IReadOnlyList<string> SearchDirectories(IReadOnlyList<string> arguments, string cwd)
    {
        var result = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            string? value = null;
            if (arguments[i] == "-L" && i + 1 < arguments.Count)
            {
                value = arguments[++i];
            }
            else if (arguments[i].StartsWith("-L", StringComparison.Ordinal) && arguments[i].Length > 2)
            {
                value = arguments[i][2..];
            }

            if (value is null)
            {
                continue;
            }

            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var kind = equals < 0 ? "all" : value[..equals];
            if (equals >= 0 && !SearchKinds.Contains(kind))
            {
                continue;
            }

            result.Add(Path.GetFullPath(equals < 0 ? value : value[(equals + 1)..], cwd));
        }

        return result;
    }

    /// <summary>Reads the inputs into a request; null (logged) when one cannot be read or they exceed <see cref="MaxInputBytes"/>.</summary>
    public DistCompileRequest? ToRequest(string compilerPath, string invokedAs, string workingDirectory, IReadOnlyList<string> arguments, out long totalBytes)
    {
        totalBytes = 0;
        var inputs = new List<KeyValuePair<string, ReadOnlyMemory<byte>>>(InputPaths.Count);
        try
        {
            foreach (var path in InputPaths)
            {
                var length = new FileInfo(path).Length;
                totalBytes += length;
                if (totalBytes > MaxInputBytes)
                {
                    Diagnostics.Write($"not distributed: the inputs are over {MaxInputBytes >> 20} MiB");
                    return null;
                }

                inputs.Add(new(path, File.ReadAllBytes(path)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Diagnostics.Write("not distributed: " + e.Message);
            return null;
        }

        return new DistCompileRequest
        {
            CompilerPath = compilerPath,
            InvokedAs = invokedAs,
            WorkingDirectory = workingDirectory,
            Arguments = arguments,
            Environment = Environment,
            Inputs = inputs,
            Outputs = Outputs,
            RequiredOutputs = RequiredOutputs,
        };
    }
}
