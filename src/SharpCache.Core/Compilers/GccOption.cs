namespace SharpCache.Core.Compilers;

/// <summary>One row of the gcc/clang argument table (<see cref="GccOptionTable"/>).</summary>
/// <param name="Name">The option as written; for <see cref="GccOptionForm.Joined"/> it ends with <c>=</c>.</param>
/// <param name="Form">How the value is spelled.</param>
/// <param name="Kind">The option's category.</param>
/// <param name="Families">The compilers that know it; elsewhere the argument is treated as unknown.</param>
/// <param name="Reason">For <see cref="GccOptionKind.TooHard"/>: why the call is not cacheable.</param>
internal sealed record GccOption(
    string Name,
    GccOptionForm Form,
    GccOptionKind Kind,
    CompilerFamilies Families = CompilerFamilies.Both,
    NotCacheableReason Reason = NotCacheableReason.UnsupportedFlag);
