namespace SharpCache.Core.Compilers;

/// <summary>Source language of one compile, from <c>-x</c> or the input file's extension.</summary>
public enum Language
{
    C,
    Cxx,
    ObjC,
    ObjCxx,
    /// <summary><c>.i</c>: already preprocessed C; hashed as is, no preprocessor run.</summary>
    CPreprocessed,
    /// <summary><c>.ii</c>: already preprocessed C++.</summary>
    CxxPreprocessed,
    ObjCPreprocessed,
    ObjCxxPreprocessed,
    /// <summary><c>.s</c>: plain assembler, not preprocessed.</summary>
    Assembler,
    /// <summary><c>.S</c>/<c>.sx</c>: assembler that goes through the C preprocessor.</summary>
    AssemblerWithCpp,
}
