using SharpCache.Core.Compilers;
using SharpCache.Core.Compilers.Detection;

namespace SharpCache.Client;

/// <summary>sccache's stats labels: the language category (<c>C/C++</c>) and the advanced label (<c>c++ [gcc]</c>).</summary>
internal readonly record struct StatsLabels(string Category, string Advanced)
{
    public static StatsLabels For(Language language, CompilerIdentity compiler)
    {
        var (category, name) = language switch
        {
            Language.C or Language.CPreprocessed => ("C/C++", "c"),
            Language.Cxx or Language.CxxPreprocessed => ("C/C++", "c++"),
            Language.ObjC or Language.ObjCPreprocessed => ("C/C++", "objc"),
            Language.ObjCxx or Language.ObjCxxPreprocessed => ("C/C++", "objc++"),
            Language.Assembler or Language.AssemblerWithCpp => ("Assembler", "assembler"),
            _ => ("C/C++", "c"),
        };
        return new StatsLabels(category, $"{name} [{compiler.FamilyName}]");
    }
}
