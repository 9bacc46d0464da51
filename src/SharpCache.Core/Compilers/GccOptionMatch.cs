namespace SharpCache.Core.Compilers;

/// <summary>An argument matched to a table row.</summary>
/// <param name="Option">The row.</param>
/// <param name="ValueInNextArgument">The value is the next argument (<c>-I dir</c>).</param>
/// <param name="ValueStart">Otherwise the value is <c>argument[ValueStart..]</c> (empty for a flag).</param>
internal readonly record struct GccOptionMatch(GccOption Option, bool ValueInNextArgument, int ValueStart);
