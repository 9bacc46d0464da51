namespace SharpCache.Core.Compilers;

using static CompilerFamilies;
using static GccOptionForm;
using static GccOptionKind;

/// <summary>
/// The gcc/clang argument table. An argument is matched exactly first, then by the longest
/// prefix (<see cref="GccOptionLookup"/>); an option that matches nothing is treated as an
/// unknown flag of kind <see cref="GccOptionKind.Codegen"/> (preprocessed and hashed), the safe default.
/// Options that take a separate value must be listed, or their value would be taken for an input.
/// </summary>
internal static class GccOptionTable
{
    /// <summary>The rows. Order does not matter; matching is exact-then-longest-prefix.</summary>
    public static GccOption[] Create() =>
    [
        // Compile mode and output.
        new("-c", Flag, CompileOnly),
        new("-S", Flag, AssembleOnly),
        new("-E", Flag, TooHard, Both, NotCacheableReason.PreprocessOnly),
        new("-o", ConcatenatedOrSeparate, Output),
        new("-x", ConcatenatedOrSeparate, LanguageOverride),
        new("-emit-llvm", Flag, EmitLlvm, Clang),

        // Preprocessor-only: their effect is in the preprocessed text.
        new("-D", ConcatenatedOrSeparate, Preprocessor),
        new("-U", ConcatenatedOrSeparate, Preprocessor),
        new("-I", ConcatenatedOrSeparate, Preprocessor),
        new("-A", ConcatenatedOrSeparate, Preprocessor),
        new("-F", ConcatenatedOrSeparate, Preprocessor, Clang),
        new("-include", ConcatenatedOrSeparate, Preprocessor),
        new("-imacros", ConcatenatedOrSeparate, Preprocessor),
        new("-isystem", ConcatenatedOrSeparate, Preprocessor),
        new("-isystem-after", ConcatenatedOrSeparate, Preprocessor, Clang),
        new("-iquote", ConcatenatedOrSeparate, Preprocessor),
        new("-idirafter", ConcatenatedOrSeparate, Preprocessor),
        new("-iprefix", ConcatenatedOrSeparate, Preprocessor),
        new("-iwithprefix", ConcatenatedOrSeparate, Preprocessor),
        new("-iwithprefixbefore", ConcatenatedOrSeparate, Preprocessor),
        new("-iwithsysroot", ConcatenatedOrSeparate, Preprocessor),
        new("-isysroot", ConcatenatedOrSeparate, Preprocessor),
        new("-imultilib", ConcatenatedOrSeparate, Preprocessor),
        new("-iframework", ConcatenatedOrSeparate, Preprocessor, Clang),
        new("-iframeworkwithsysroot", ConcatenatedOrSeparate, Preprocessor, Clang),
        new("-cxx-isystem", ConcatenatedOrSeparate, Preprocessor, Clang),
        new("-ivfsoverlay", ConcatenatedOrSeparate, Preprocessor, Clang),
        new("-include-pch", Separate, PreprocessorFile, Clang),
        new("-Xpreprocessor", Separate, Preprocessor),
        new("-Wp,", Concatenated, WrapperPreprocessor),
        new("-nostdinc", Flag, Preprocessor),
        new("-nostdinc++", Flag, Preprocessor),
        new("-undef", Flag, Preprocessor),
        new("-trigraphs", Flag, Preprocessor),

        // The preprocessor converts the source to UTF-8: its output is read as UTF-8. Given to the compile of that text
        // too, gcc converted it a second time (é in a latin1 source became Ã© in the object's string).
        new("-finput-charset=", Joined, Preprocessor),
        new("-P", Flag, Unhashed),

        // Dependency files.
        new("-MD", Flag, DependencyFile),
        new("-MMD", Flag, DependencyFile),
        new("-MF", ConcatenatedOrSeparate, DependencyPath),
        new("-MT", ConcatenatedOrSeparate, DependencyShape),
        new("-MQ", ConcatenatedOrSeparate, DependencyShape),
        new("-MP", Flag, DependencyShape),
        new("-MG", Flag, DependencyShape),
        new("-M", Flag, TooHard, Both, NotCacheableReason.DependenciesOnly),
        new("-MM", Flag, TooHard, Both, NotCacheableReason.DependenciesOnly),
        new("-MJ", ConcatenatedOrSeparate, TooHard, Clang),

        // Code generation: preprocessed (they may define macros) and hashed.
        new("-f", Concatenated, Codegen),
        new("-m", Concatenated, Codegen),
        new("-O", Concatenated, Codegen),
        new("-W", Concatenated, Codegen),
        new("-std=", Joined, Codegen),
        new("--std", JoinedOrSeparate, Codegen),
        new("-ansi", Flag, Codegen),
        new("-pedantic", Flag, Codegen),
        new("-pthread", Flag, Codegen),
        new("-B", ConcatenatedOrSeparate, Codegen),
        new("--sysroot", JoinedOrSeparate, Codegen),
        new("--param", JoinedOrSeparate, Codegen),
        new("-wrapper", Separate, Codegen, Gcc),
        new("-target", Separate, Codegen, Clang),
        new("--target", JoinedOrSeparate, Codegen, Clang),
        new("-mllvm", Separate, Codegen, Clang),
        new("-resource-dir", JoinedOrSeparate, Codegen, Clang),
        new("-gcc-toolchain", Separate, Codegen, Clang),
        new("--gcc-toolchain", JoinedOrSeparate, Codegen, Clang),
        new("-Xclang", Separate, XClang, Clang),
        new("-arch", Separate, Arch, Clang),
        new("-fplugin=", Joined, ExtraFile),

        // Files clang reads to decide what to instrument: their contents are part of the key (and go to a build server).
        new("-fsanitize-ignorelist=", Joined, ExtraFile, Clang),
        new("-fsanitize-blacklist=", Joined, ExtraFile, Clang),
        new("-fsanitize-system-ignorelist=", Joined, ExtraFile, Clang),
        new("-fsanitize-coverage-allowlist=", Joined, ExtraFile, Clang),
        new("-fsanitize-coverage-ignorelist=", Joined, ExtraFile, Clang),
        new("-fsanitize-coverage-whitelist=", Joined, ExtraFile, Clang),
        new("-fsanitize-coverage-blacklist=", Joined, ExtraFile, Clang),
        new("-fprofile-list=", Joined, ExtraFile, Clang),
        new("-fxray-attr-list=", Joined, ExtraFile, Clang),
        new("-fxray-always-instrument=", Joined, ExtraFile, Clang),
        new("-fxray-never-instrument=", Joined, ExtraFile, Clang),
        new("-specs=", Joined, ExtraFile, Gcc),
        new("--specs", JoinedOrSeparate, ExtraFile, Gcc),

        // Hashed only: no effect on preprocessing.
        new("-g", Concatenated, Debug),
        new("-gsplit-dwarf", Flag, SplitDwarf),
        new("-gsplit-dwarf=", Joined, SplitDwarf),
        new("-gno-split-dwarf", Flag, SplitDwarf),
        new("-Wa,", Concatenated, HashOnly),
        new("-Xassembler", Separate, HashOnly),
        new("-Wl,", Concatenated, HashOnly),
        new("-Xlinker", Separate, HashOnly),
        new("-l", ConcatenatedOrSeparate, HashOnly),
        new("-L", ConcatenatedOrSeparate, HashOnly),
        new("-T", ConcatenatedOrSeparate, HashOnly),
        new("-u", ConcatenatedOrSeparate, HashOnly),
        new("-e", Separate, HashOnly),
        new("-z", Separate, HashOnly),
        new("-Xanalyzer", Separate, HashOnly, Clang),

        // Stderr is cached byte for byte, so the colour setting is part of the key; it is kept
        // out of the preprocessor run so preprocessor diagnostics stay plain.
        new("-fdiagnostics-color", Flag, HashOnly),
        new("-fdiagnostics-color=", Joined, HashOnly),
        new("-fno-diagnostics-color", Flag, HashOnly),
        new("-fcolor-diagnostics", Flag, HashOnly, Clang),
        new("-fno-color-diagnostics", Flag, HashOnly, Clang),

        // No effect on any output.
        new("-pipe", Flag, Unhashed),

        // Coverage and profiles.
        new("--coverage", Flag, CoverageNotes),
        new("-coverage", Flag, CoverageNotes, Gcc),
        new("-ftest-coverage", Flag, CoverageNotes),
        new("-fprofile-note=", Joined, CoverageNotesPath, Gcc),
        new("-fprofile-arcs", Flag, ProfileInstrument),
        new("-fprofile-generate", Flag, ProfileInstrument),
        new("-fprofile-generate=", Joined, ProfileInstrument),
        new("-fprofile-instr-generate", Flag, ProfileInstrument, Clang),
        new("-fprofile-instr-generate=", Joined, ProfileInstrument, Clang),
        new("-fcs-profile-generate", Flag, ProfileInstrument, Clang),
        new("-fcs-profile-generate=", Joined, ProfileInstrument, Clang),
        new("-fprofile-use", Flag, ProfileUse),
        new("-fprofile-use=", Joined, ProfileUse),
        new("-fprofile-instr-use", Flag, ProfileUse, Clang),
        new("-fprofile-instr-use=", Joined, ProfileUse, Clang),
        new("-fprofile-sample-use=", Joined, ProfileUse, Clang),
        new("-fauto-profile", Flag, ProfileUse, Gcc),
        new("-fauto-profile=", Joined, ProfileUse, Gcc),

        // Not cacheable.
        new("-fsyntax-only", Flag, TooHard, Both, NotCacheableReason.SyntaxOnly),
        new("-save-temps", Flag, TooHard, Both, NotCacheableReason.SaveTemps),
        new("-save-temps=", Joined, TooHard, Both, NotCacheableReason.SaveTemps),
        new("--save-temps", Flag, TooHard, Both, NotCacheableReason.SaveTemps),
        new("-fmodules", Flag, TooHard, Clang, NotCacheableReason.Modules),
        new("-fcxx-modules", Flag, TooHard, Clang, NotCacheableReason.Modules),
        new("-fmodule-file=", Joined, TooHard, Clang, NotCacheableReason.Modules),
        new("-fprebuilt-module-path=", Joined, TooHard, Clang, NotCacheableReason.Modules),
        new("-fmodule-output", Flag, TooHard, Clang, NotCacheableReason.Modules),
        new("-fmodule-output=", Joined, TooHard, Clang, NotCacheableReason.Modules),
        new("--precompile", Flag, TooHard, Clang, NotCacheableReason.Modules),
        new("-fmodules-ts", Flag, TooHard, Gcc, NotCacheableReason.Modules),
        new("-fmodule-header", Flag, TooHard, Gcc, NotCacheableReason.Modules),
        new("-fmodule-header=", Joined, TooHard, Gcc, NotCacheableReason.Modules),
        new("-fmodule-mapper=", Joined, TooHard, Gcc, NotCacheableReason.Modules),
        new("-frepo", Flag, TooHard, Gcc),
        new("-fdump-", Concatenated, TooHard),
        new("-fstack-usage", Flag, TooHard),
        new("-fcallgraph-info", Flag, TooHard, Gcc),
        new("-fcallgraph-info=", Joined, TooHard, Gcc),
        new("-fsave-optimization-record", Flag, TooHard, Clang),
        new("-fsave-optimization-record=", Joined, TooHard, Clang),
        new("-foptimization-record-file=", Joined, TooHard, Clang),
        new("-ftime-trace", Flag, TooHard, Clang),
        new("-ftime-trace=", Joined, TooHard, Clang),
        new("-aux-info", Separate, TooHard, Gcc),
        new("-dumpbase", Separate, TooHard, Gcc),
        new("-dumpbase-ext", Separate, TooHard, Gcc),
        new("-dumpdir", Separate, TooHard, Gcc),
        new("-index-store-path", Separate, TooHard, Clang),
        new("--serialize-diagnostics", Separate, TooHard, Clang),
        new("-working-directory", JoinedOrSeparate, TooHard, Clang),

        // Driver queries: nothing is compiled.
        new("-###", Flag, TooHard, Both, NotCacheableReason.NotCompilation),
        new("--help", Flag, TooHard, Both, NotCacheableReason.NotCompilation),
        new("--help=", Joined, TooHard, Both, NotCacheableReason.NotCompilation),
        new("--version", Flag, TooHard, Both, NotCacheableReason.NotCompilation),
        new("-dumpversion", Flag, TooHard, Both, NotCacheableReason.NotCompilation),
        new("-dumpfullversion", Flag, TooHard, Gcc, NotCacheableReason.NotCompilation),
        new("-dumpmachine", Flag, TooHard, Both, NotCacheableReason.NotCompilation),
        new("-dumpspecs", Flag, TooHard, Gcc, NotCacheableReason.NotCompilation),
        new("-print-", Concatenated, TooHard, Both, NotCacheableReason.NotCompilation),
        new("--print-", Concatenated, TooHard, Both, NotCacheableReason.NotCompilation),
    ];
}
