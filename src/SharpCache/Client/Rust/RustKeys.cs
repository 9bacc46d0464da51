using System.Collections;
using SharpCache.Core.Hashing;

namespace SharpCache.Client.Rust;

/// <summary>
/// The direct key of a rustc compile (sccache's Rust key, minus the dep-info sources, which the
/// <see cref="RustManifest"/> adds for the result key): toolchain, arguments (without
/// <c>--extern</c> paths, <c>-L</c>, <c>--out-dir</c>, <c>--diagnostic-width</c>; <c>--cfg</c>
/// sorted), <c>--extern</c> and static-library digests, <c>CARGO_*</c> variables, the working
/// directory and the crate root's digest; for linked crate types <see cref="RustLinkInputs"/>
/// adds the linker and native libraries. Bump <see cref="Format"/> when what goes in changes.
/// </summary>
internal static class RustKeys
{
    public const string Format = "sharpcache-rust-2";

    /// <summary>sccache's exclusions: jobserver fds, registry credentials, job count, and build-script-only flags.</summary>
    private static bool IsHashedCargoVariable(string name) =>
        name.StartsWith("CARGO_", StringComparison.Ordinal)
        && name is not ("CARGO_MAKEFLAGS" or "CARGO_BUILD_JOBS" or "CARGO_ENCODED_RUSTFLAGS")
        && !name.StartsWith("CARGO_REGISTRIES_", StringComparison.Ordinal);

    /// <summary>Other variables that change what rustc accepts or writes.</summary>
    private static readonly string[] RustcEnvironment = ["RUSTC_BOOTSTRAP", "SCCACHE_RUST_CUSTOM_CACHE_BUSTER"];

    public static KeyRecipe Direct(RustCompileContext context)
    {
        var compilation = context.Compilation;
        var mapper = context.Mapper;
        var recipe = new KeyRecipe();
        recipe.Add("format", Format);
        recipe.Add("rustc.version", context.Rustc.VersionText);
        recipe.Add("rustc.sysroot-libs", context.Rustc.SysrootDigest);
        recipe.Add("basedir", mapper.IsActive ? "mapped" : "none");
        recipe.Add("cwd", mapper.Map(context.WorkingDirectory));
        foreach (var argument in compilation.HashedArguments)
        {
            recipe.Add("arg", mapper.Map(argument));
        }

        foreach (var cfg in compilation.SortedCfgs)
        {
            recipe.Add("cfg", cfg);
        }

        if (NativeCpu.IsNamedBy(compilation.HashedArguments))
        {
            recipe.Add("native-cpu", NativeCpu.Fingerprint); // -C target-cpu=native: the object depends on this machine's processor
        }

        foreach (var item in compilation.Externs)
        {
            recipe.Add("extern", item.Path is null ? item.Name : item.Name + " " + Digest(item.Path, context));
        }

        foreach (var library in compilation.StaticLibraries)
        {
            recipe.Add("static-lib", library + " " + FindStaticLibraryDigest(library, context));
        }

        if (compilation.Target is { } target && target.EndsWith(".json", StringComparison.Ordinal))
        {
            recipe.Add("target-spec", Path.GetFileName(target) + " " + Digest(target, context));
        }

        var cargo = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (IsHashedCargoVariable(name))
            {
                cargo.Add(new(name, (string?)entry.Value ?? ""));
            }
        }

        cargo.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (name, value) in cargo)
        {
            recipe.Add("env", name + "=" + mapper.Map(value));
        }

        foreach (var name in RustcEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                recipe.Add("env", name + "=" + value);
            }
        }

        recipe.Add("crate-root", mapper.Map(compilation.InputFile) + " " + Digest(compilation.InputFile, context));
        return recipe;
    }

    private static string Digest(string path, RustCompileContext context)
    {
        try
        {
            var full = Path.GetFullPath(path, context.WorkingDirectory);
            return File.Exists(full) ? KeyHasher.HashFile(full) : "missing";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }

    /// <summary>rustc's search for <c>-l static=name</c>: <c>lib{name}.a</c> in the <c>-L native=</c>/<c>all=</c> directories, in order.</summary>
    private static string FindStaticLibraryDigest(string library, RustCompileContext context)
    {
        foreach (var directory in context.Compilation.NativeSearchDirs)
        {
            var candidate = Path.Combine(Path.GetFullPath(directory, context.WorkingDirectory), "lib" + library + ".a");
            if (File.Exists(candidate))
            {
                return Digest(candidate, context);
            }
        }

        return "not found";
    }
}
