namespace SharpCache.Core.Compilers;

/// <summary>What a file extension or <c>-x</c> name denotes.</summary>
internal enum SourceKind : byte
{
    /// <summary>A source language we cache (see <see cref="Language"/>).</summary>
    Source,

    /// <summary>A header: compiling it makes a precompiled header.</summary>
    Header,

    /// <summary>Anything else (Fortran, CUDA, linker inputs...).</summary>
    Unknown,
}
