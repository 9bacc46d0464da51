namespace SharpCache.Toolchains;

/// <summary>The compiler kinds that can be packaged: each needs a different set of files.</summary>
internal enum CompilerFamily
{
    Gcc,
    Clang,
    Rustc,
}
