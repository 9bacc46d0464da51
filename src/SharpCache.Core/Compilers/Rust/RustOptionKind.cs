namespace SharpCache.Core.Compilers.Rust;

/// <summary>What a rustc option means to the cache (<see cref="RustOptionTable"/>).</summary>
internal enum RustOptionKind
{
    /// <summary>Changes the output: hashed as written.</summary>
    Hashed,

    /// <summary><c>--crate-name</c>.</summary>
    CrateName,

    /// <summary><c>--crate-type</c> (repeatable, comma-separated).</summary>
    CrateType,

    /// <summary><c>--emit</c> (comma-separated kinds).</summary>
    Emit,

    /// <summary><c>--out-dir</c>: where outputs go; not hashed (outputs are restored there).</summary>
    OutDir,

    /// <summary><c>-o</c>: an explicit output file; not cacheable (as in sccache).</summary>
    Output,

    /// <summary><c>-C</c>/<c>--codegen</c>: <c>name[=value]</c>, some of which matter.</summary>
    Codegen,

    /// <summary><c>--extern name[=path]</c>: hashed by name and file digest, not by path.</summary>
    Extern,

    /// <summary><c>-L [kind=]dir</c>: not hashed; native/all dirs are searched for static libs.</summary>
    LinkPath,

    /// <summary><c>-l [kind[:mods]=]name</c>: hashed; static libraries also by content.</summary>
    LinkLib,

    /// <summary><c>--cfg</c>: hashed, sorted (cargo does not order them deterministically).</summary>
    Cfg,

    /// <summary><c>--target</c>: hashed; a <c>.json</c> target spec by content.</summary>
    Target,

    /// <summary><c>--error-format</c>: hashed; <c>json</c> makes <c>--color</c> irrelevant.</summary>
    ErrorFormat,

    /// <summary><c>--color</c>: hashed only for human-readable diagnostics.</summary>
    Color,

    /// <summary><c>--diagnostic-width</c>: cosmetic, not hashed (sccache does the same).</summary>
    Unhashed,

    /// <summary><c>--remap-path-prefix FROM=TO</c>: hashed, and lets base directories apply with debug info.</summary>
    RemapPathPrefix,

    /// <summary><c>-g</c>: debug info on (embeds absolute paths).</summary>
    DebugFlag,

    /// <summary>Asks rustc for information, compiles nothing (<c>--print</c>, <c>-vV</c>, <c>--help</c>).</summary>
    Probe,

    /// <summary>Known but never cacheable.</summary>
    NotCacheable,
}
