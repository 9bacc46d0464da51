namespace SharpCache.Core.Compilers;

/// <summary>Which compiler families an argument-table entry applies to.</summary>
[Flags]
internal enum CompilerFamilies : byte
{
    Gcc = 1,
    Clang = 2,
    Both = Gcc | Clang,
}
