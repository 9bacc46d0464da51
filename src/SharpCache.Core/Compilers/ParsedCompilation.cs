namespace SharpCache.Core.Compilers;

/// <summary>
/// A cacheable compile, as the argument model understood it. Paths are as the user wrote them
/// (relative to the working directory the compile runs in).
/// On a miss the original command line is run unchanged; this record only drives the cache key,
/// the preprocessor run and the set of output files to store and restore.
/// </summary>
public sealed record ParsedCompilation
{
    public required Language Language { get; init; }

    /// <summary>The single source file.</summary>
    public required string InputFile { get; init; }

    /// <summary>The main output: <c>-o</c>, else the input's stem + <c>.o</c> (or <c>.s</c> with <c>-S</c>).</summary>
    public required string OutputFile { get; init; }

    /// <summary>
    /// Arguments (after the compiler executable) that make the compiler write the preprocessed
    /// translation unit to stdout: the user's preprocessor-relevant arguments, <c>-E</c> and the
    /// input, without <c>-c</c>/<c>-S</c>, <c>-o</c> or dependency-file arguments. Null for a
    /// language that is not preprocessed (<c>.i</c>, <c>.ii</c>, <c>.s</c>): the key then hashes the source file itself.
    /// </summary>
    public required IReadOnlyList<string>? PreprocessArguments { get; init; }

    /// <summary>
    /// Arguments whose effect is not visible in the preprocessed text (code generation, warnings,
    /// <c>-Xclang</c>, target, ...), in command-line order. Part of the key.
    /// </summary>
    public required IReadOnlyList<string> HashedArguments { get; init; }

    /// <summary>
    /// <see cref="HashedArguments"/> without the dependency-file arguments: with <c>-x</c>, <c>-c</c>/<c>-S</c>,
    /// input and <c>-o</c>, the command that compiles the preprocessed text (a distributed compile).
    /// </summary>
    public IReadOnlyList<string> CompileArguments { get; init; } = [];

    /// <summary>The dependency-file arguments as the user wrote them (<c>-MD</c>, <c>-MF x</c>, <c>-MT t</c>, <c>-Wp,-MD,x</c>).</summary>
    public IReadOnlyList<string> DependencyArguments { get; init; } = [];

    /// <summary>Files whose contents are part of the key (e.g. <c>-fprofile-use</c> data).</summary>
    public IReadOnlyList<string> ExtraHashFiles { get; init; } = [];

    /// <summary>Depfile path when <c>-MD</c>/<c>-MMD</c>/<c>-Wp,-MD,</c> asks for one.</summary>
    public string? DepFile { get; init; }

    /// <summary>Split-DWARF file (<c>.dwo</c>) when <c>-gsplit-dwarf</c> is in effect.</summary>
    public string? SplitDwarfFile { get; init; }

    /// <summary>Coverage notes (<c>.gcno</c>) when <c>--coverage</c>/<c>-ftest-coverage</c> is in effect.</summary>
    public string? CoverageNotesFile { get; init; }

    /// <summary>
    /// The output embeds the working directory (debug info, coverage notes), so the key must
    /// include it.
    /// </summary>
    public bool KeyIncludesWorkingDirectory { get; init; }

    /// <summary>
    /// The output embeds its own path or the paths of its side files (depfile target, <c>.dwo</c>
    /// name, <c>.gcda</c> location), so the key must include the output path(s).
    /// </summary>
    public bool KeyIncludesOutputPaths { get; init; }
}
