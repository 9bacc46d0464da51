namespace SharpCache.Core.Compilers.Rust;

/// <summary>One row of the rustc argument table (<see cref="RustOptionTable"/>).</summary>
/// <param name="Name">The option as written (<c>--crate-name</c>, <c>-C</c>).</param>
/// <param name="TakesValue">
/// True when the option has a value: a separate argument, or after <c>=</c> for long options,
/// or glued to short ones (<c>-Copt-level=2</c>, <c>-Ldependency=dir</c>).
/// </param>
/// <param name="Kind">What it means to the cache.</param>
/// <param name="Reason">For <see cref="RustOptionKind.NotCacheable"/>: the named reason.</param>
internal sealed record RustOption(string Name, bool TakesValue, RustOptionKind Kind, string? Reason = null);
