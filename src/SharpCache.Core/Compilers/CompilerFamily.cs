namespace SharpCache.Core.Compilers;

/// <summary>The argument dialect a compiler speaks. Detected by probing the compiler, never by name alone.</summary>
public enum CompilerFamily
{
    Gcc,
    Clang,
}
