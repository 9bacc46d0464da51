namespace SharpCache.Core.Compilers.Rust;

/// <summary>
/// The files rustc writes into <c>--out-dir</c> for a cacheable compile, from its crate name,
/// <c>-C extra-filename</c>, crate types and emits (what <c>--print file-names</c> would say,
/// without running rustc). Executables and shared objects only for ELF targets, the only ones the
/// parser lets through.
/// </summary>
public static class RustOutputNames
{
    /// <summary>File names (no directory), deduplicated, dep-info last.</summary>
    public static IReadOnlyList<string> For(RustCompilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        var stem = compilation.CrateName + compilation.ExtraFilename;
        var names = new List<string>(4);
        if (compilation.EmitLink)
        {
            foreach (var type in compilation.CrateTypes)
            {
                var name = type switch
                {
                    "staticlib" when compilation.Target?.Contains("windows-msvc", StringComparison.Ordinal) == true => stem + ".lib",
                    "staticlib" => "lib" + stem + ".a",
                    "bin" => stem,
                    "proc-macro" or "dylib" or "cdylib" => "lib" + stem + ".so",
                    _ => "lib" + stem + ".rlib",
                };
                if (!names.Contains(name))
                {
                    names.Add(name);
                }
            }
        }

        if (compilation.EmitMetadata)
        {
            names.Add("lib" + stem + ".rmeta");
        }

        if (compilation.EmitDepInfo)
        {
            names.Add(stem + ".d");
        }

        return names;
    }
}
