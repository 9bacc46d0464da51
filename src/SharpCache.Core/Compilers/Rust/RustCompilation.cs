namespace SharpCache.Core.Compilers.Rust;

/// <summary>A cacheable rustc command line, classified.</summary>
public sealed record RustCompilation
{
    public required string CrateName { get; init; }

    /// <summary>In command-line order, comma lists split.</summary>
    public required IReadOnlyList<string> CrateTypes { get; init; }

    public required string InputFile { get; init; }

    public required string OutDir { get; init; }

    /// <summary><c>-C extra-filename</c>, "" when absent.</summary>
    public string ExtraFilename { get; init; } = "";

    public bool EmitLink { get; init; }

    public bool EmitMetadata { get; init; }

    public bool EmitDepInfo { get; init; }

    /// <summary>The arguments that go into the key, in order, without <c>--cfg</c> (see <see cref="SortedCfgs"/>).</summary>
    public required IReadOnlyList<string> HashedArguments { get; init; }

    /// <summary><c>--cfg</c> values, sorted ordinally.</summary>
    public required IReadOnlyList<string> SortedCfgs { get; init; }

    public required IReadOnlyList<RustExtern> Externs { get; init; }

    /// <summary>Directories from <c>-L native=</c>, <c>-L all=</c> and plain <c>-L</c>, searched for static libraries.</summary>
    public required IReadOnlyList<string> NativeSearchDirs { get; init; }

    /// <summary>Names from <c>-l static=name</c>: their <c>lib{name}.a</c> is hashed by content.</summary>
    public required IReadOnlyList<string> StaticLibraries { get; init; }

    /// <summary>Names from <c>-l name</c>, <c>-l dylib=name</c> and other non-static kinds: the system linker resolves them.</summary>
    public IReadOnlyList<string> OtherLibraries { get; init; } = [];

    /// <summary>
    /// True when rustc runs the system linker (<c>bin</c>, <c>proc-macro</c>, <c>dylib</c>,
    /// <c>cdylib</c> with <c>link</c> emitted): the key then also covers the linker and the
    /// native libraries it reads.
    /// </summary>
    public bool LinksWithSystemLinker { get; init; }

    /// <summary><c>-C linker=</c>, null for rustc's default (<c>cc</c>).</summary>
    public string? Linker { get; init; }

    /// <summary><c>--target</c>, null for the host.</summary>
    public string? Target { get; init; }

    /// <summary>True unless debug info is off: objects then embed absolute source and working-directory paths.</summary>
    public bool HasDebugInfo { get; init; }

    /// <summary>The <c>FROM</c> sides of <c>--remap-path-prefix FROM=TO</c>.</summary>
    public required IReadOnlyList<string> RemappedPrefixes { get; init; }

    /// <summary>The full argument list (response files expanded) with <c>--emit</c> and <c>--out-dir</c> removed, for a dep-info-only run.</summary>
    public required IReadOnlyList<string> ArgumentsWithoutEmit { get; init; }

    /// <summary>The dep-info file rustc writes: <c>{out-dir}/{crate}{extra}.d</c>.</summary>
    public string DepInfoFile => System.IO.Path.Combine(OutDir, CrateName + ExtraFilename + ".d");
}
