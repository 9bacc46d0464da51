namespace SharpCache.Core.Compilers;

/// <summary>gcc's mapping of file extensions and <c>-x</c> names to languages (case-sensitive, as gcc).</summary>
internal static class GccLanguages
{
    /// <summary>The language of <paramref name="path"/> from its extension.</summary>
    public static SourceKind FromPath(string path, out Language language)
    {
        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        var dot = name.LastIndexOf('.');
        language = default;
        if (dot < 0)
        {
            return SourceKind.Unknown;
        }

        switch (name[(dot + 1)..])
        {
            case "c":
                language = Language.C;
                return SourceKind.Source;
            case "cc" or "cp" or "cxx" or "cpp" or "CPP" or "c++" or "C":
                language = Language.Cxx;
                return SourceKind.Source;
            case "m":
                language = Language.ObjC;
                return SourceKind.Source;
            case "mm" or "M":
                language = Language.ObjCxx;
                return SourceKind.Source;
            case "i":
                language = Language.CPreprocessed;
                return SourceKind.Source;
            case "ii":
                language = Language.CxxPreprocessed;
                return SourceKind.Source;
            case "mi":
                language = Language.ObjCPreprocessed;
                return SourceKind.Source;
            case "mii":
                language = Language.ObjCxxPreprocessed;
                return SourceKind.Source;
            case "s":
                language = Language.Assembler;
                return SourceKind.Source;
            case "S" or "sx":
                language = Language.AssemblerWithCpp;
                return SourceKind.Source;
            case "h" or "hh" or "H" or "hp" or "hxx" or "hpp" or "HPP" or "h++" or "tcc":
                return SourceKind.Header;
            default:
                return SourceKind.Unknown;
        }
    }

    /// <summary>The language named by <c>-x <paramref name="name"/></c>.</summary>
    public static SourceKind FromName(string name, out Language language)
    {
        language = default;
        switch (name)
        {
            case "c":
                language = Language.C;
                return SourceKind.Source;
            case "c++":
                language = Language.Cxx;
                return SourceKind.Source;
            case "objective-c":
                language = Language.ObjC;
                return SourceKind.Source;
            case "objective-c++":
                language = Language.ObjCxx;
                return SourceKind.Source;
            case "cpp-output":
                language = Language.CPreprocessed;
                return SourceKind.Source;
            case "c++-cpp-output":
                language = Language.CxxPreprocessed;
                return SourceKind.Source;
            case "objective-c-cpp-output" or "objc-cpp-output":
                language = Language.ObjCPreprocessed;
                return SourceKind.Source;
            case "objective-c++-cpp-output" or "objc++-cpp-output":
                language = Language.ObjCxxPreprocessed;
                return SourceKind.Source;
            case "assembler":
                language = Language.Assembler;
                return SourceKind.Source;
            case "assembler-with-cpp":
                language = Language.AssemblerWithCpp;
                return SourceKind.Source;
            case "c-header" or "c++-header" or "objective-c-header" or "objective-c++-header"
                or "c++-system-header" or "c++-user-header" or "c-header-cpp-output" or "c++-header-cpp-output":
                return SourceKind.Header;
            default:
                return SourceKind.Unknown;
        }
    }

    /// <summary>Whether the compiler runs the preprocessor for <paramref name="language"/>.</summary>
    public static bool IsPreprocessed(Language language) => language is Language.C or Language.Cxx
        or Language.ObjC or Language.ObjCxx or Language.AssemblerWithCpp;
}
