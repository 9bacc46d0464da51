namespace SharpCache.Core.Compilers.Rust;

using static RustOptionKind;

/// <summary>
/// The rustc argument table (rustc 1.95 <c>rustc --help -v</c>). Long options take their value
/// as the next argument or after <c>=</c>; one-letter options (<c>-C</c>, <c>-L</c>, <c>-l</c>,
/// <c>-Z</c>, lint levels, <c>-o</c>) also glued. An option missing from the table makes the
/// compile not cacheable ("unknown rustc option"): a new flag could write outputs we do not know.
/// </summary>
internal static class RustOptionTable
{
    public static RustOption[] Create() =>
    [
        new("--crate-name", true, CrateName),
        new("--crate-type", true, CrateType),
        new("--emit", true, Emit),
        new("--out-dir", true, OutDir),
        new("-o", true, Output),
        new("-C", true, Codegen),
        new("--codegen", true, Codegen),
        new("--extern", true, Extern),
        new("-L", true, LinkPath),
        new("-l", true, LinkLib),
        new("--cfg", true, Cfg),
        new("--check-cfg", true, Hashed),
        new("--edition", true, Hashed),
        new("--target", true, Target),
        new("--cap-lints", true, Hashed),
        new("--error-format", true, ErrorFormat),
        new("--json", true, Hashed),
        new("--diagnostic-width", true, Unhashed),
        new("--color", true, Color),
        new("--remap-path-prefix", true, RemapPathPrefix),
        new("--sysroot", true, Hashed),
        new("--crate-attr", true, Hashed),
        new("--env-set", true, Hashed),
        new("-Z", true, Hashed),
        new("-A", true, Hashed),
        new("--allow", true, Hashed),
        new("-W", true, Hashed),
        new("--warn", true, Hashed),
        new("-D", true, Hashed),
        new("--deny", true, Hashed),
        new("-F", true, Hashed),
        new("--forbid", true, Hashed),
        new("--force-warn", true, Hashed),
        new("-O", false, Hashed),
        new("-g", false, DebugFlag),
        new("--test", false, Hashed),
        new("--print", true, Probe),
        new("--explain", true, Probe),
        new("-V", false, Probe),
        new("-vV", false, Probe),
        new("-Vv", false, Probe),
        new("--version", false, Probe),
        new("-h", false, Probe),
        new("--help", false, Probe),
        new("-v", false, Hashed),
        new("--verbose", false, Hashed),
        new("--pretty", true, NotCacheable, "unpretty output"),
        new("--unpretty", true, NotCacheable, "unpretty output"),
    ];
}
