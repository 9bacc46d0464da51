namespace SharpCache.Core.Compilers;

/// <summary>
/// The category of an option: where it goes (preprocessor run, key) and whether the parser
/// must look at it. The first four are plain routing; the others need handling in code.
/// </summary>
internal enum GccOptionKind : byte
{
    /// <summary>Affects only preprocessing (<c>-D</c>, <c>-I</c>, <c>-include</c>...): preprocessor run, not hashed (its effect is in the text).</summary>
    Preprocessor,

    /// <summary>Affects code generation and may define macros (<c>-f*</c>, <c>-m*</c>, <c>-O*</c>, <c>-W*</c>, <c>-std</c>, <c>--target</c>): preprocessor run and hashed. Also the default for unknown options.</summary>
    Codegen,

    /// <summary>Affects the output or stderr but not preprocessing (assembler and linker options, colour): hashed only.</summary>
    HashOnly,

    /// <summary>No effect on any output (<c>-pipe</c>): dropped from both.</summary>
    Unhashed,

    /// <summary>Makes the call non-cacheable with the entry's reason.</summary>
    TooHard,

    /// <summary><c>-c</c>.</summary>
    CompileOnly,

    /// <summary><c>-S</c>.</summary>
    AssembleOnly,

    /// <summary><c>-o</c>.</summary>
    Output,

    /// <summary><c>-x lang</c>.</summary>
    LanguageOverride,

    /// <summary><c>-MD</c>, <c>-MMD</c>: write a depfile while compiling.</summary>
    DependencyFile,

    /// <summary><c>-MF path</c>: depfile path.</summary>
    DependencyPath,

    /// <summary><c>-MT</c>, <c>-MQ</c>, <c>-MP</c>, <c>-MG</c>: shape the depfile's content.</summary>
    DependencyShape,

    /// <summary><c>-Wp,...</c>: preprocessor options, possibly <c>-MD,path</c>.</summary>
    WrapperPreprocessor,

    /// <summary><c>-Xclang arg</c>: preprocessor run and hashed, as a pair.</summary>
    XClang,

    /// <summary><c>-arch name</c> (Apple clang): several different values are not cacheable.</summary>
    Arch,

    /// <summary><c>-g*</c>: hashed; decides whether debug info (with the working directory) is on.</summary>
    Debug,

    /// <summary><c>-gsplit-dwarf[=split|single]</c>, <c>-gno-split-dwarf</c>.</summary>
    SplitDwarf,

    /// <summary><c>--coverage</c>, <c>-ftest-coverage</c>: write <c>.gcno</c> notes.</summary>
    CoverageNotes,

    /// <summary><c>-fprofile-note=path</c> (gcc): where the <c>.gcno</c> goes.</summary>
    CoverageNotesPath,

    /// <summary><c>-fprofile-arcs</c>, <c>-fprofile-generate</c>...: instrumented object embeds paths.</summary>
    ProfileInstrument,

    /// <summary><c>-fprofile-use[=path]</c> and friends: the profile's contents are part of the key.</summary>
    ProfileUse,

    /// <summary><c>-fplugin=</c>, <c>-specs=</c>: hashed, and the file's contents too when it exists.</summary>
    ExtraFile,

    /// <summary><c>-include-pch file</c>: preprocessor option whose file contents are hashed.</summary>
    PreprocessorFile,

    /// <summary><c>-emit-llvm</c> (clang): default output is <c>.bc</c>/<c>.ll</c>.</summary>
    EmitLlvm,
}
