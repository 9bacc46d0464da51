using SharpCache.Configuration;
using SharpCache.Core.Compilers;

namespace SharpCache.Client;

/// <summary>
/// How one C/C++ compile goes to the cluster (<c>[dist] scheduler_url</c>): the preprocessor run here
/// also writes the depfile (the dependency arguments, with gcc's implicit <c>-MQ output</c> made
/// explicit because <c>-E</c> would name another target), and the build server compiles the
/// preprocessed text with <c>-x &lt;language&gt;-cpp-output</c>, the code-generation arguments, and
/// the output paths of a local compile. The text sits beside the source (<see cref="InputPath"/>) while
/// the source itself goes along at its own path: the compiler names the source in its diagnostics and
/// quotes its lines from there, exactly as locally (the object is the same either way: it names the
/// file of the first linemarker).
/// <para>
/// With <c>[dist] rewrite_includes_only = true</c> the text is only include-expanded, macros stay for the
/// server (its diagnostics then say "in expansion of macro", as a local compile's do): gcc preprocesses with
/// <c>-fdirectives-only</c> (its output keeps every <c>#define</c>, the command line's too) and compiles with
/// <c>-x &lt;language&gt; -fpreprocessed -fdirectives-only</c>; clang preprocesses with <c>-frewrite-includes</c>
/// and compiles the rewritten text in place of the source, at the source's own path and with the
/// <c>-D</c>/<c>-U</c> arguments (clang names the main file in the object as given on its command line, not
/// from linemarkers). Not for assembler, nor for gcc with <c>-pedantic</c>. Because that text can fail to compile
/// where the full one does not (sccache documents such a glibc), a failed remote compile in this mode is
/// compiled again locally (<see cref="RetryLocallyOnError"/>).
/// </para>
/// </summary>
internal sealed record DistPlan(IReadOnlyList<string> PreprocessExtra, IReadOnlyList<string> RemoteArguments, string InputPath, string? SourcePath, IReadOnlyList<string> Outputs, IReadOnlyList<string> RequiredOutputs, IReadOnlyList<string> ExtraInputs)
{
    /// <summary>Include-rewriting mode: a remote compile error is not trusted, the compile runs locally instead.</summary>
    public bool RetryLocallyOnError { get; init; }

    /// <summary>The plan, or null when this compile stays local (no <c>[dist]</c>, or a shape the cluster does not take).</summary>
    public static DistPlan? For(SharpCacheOptions options, CompileContext context)
    {
        if (options.Dist?.SchedulerAddress is null)
        {
            return null;
        }

        var compilation = context.Compilation;
        var language = PreprocessedLanguage(compilation.Language);
        if (compilation.PreprocessArguments is null || language is null)
        {
            return null;
        }

        // -march=native and the like ask for the processor that compiles: a build server's would be another one.
        if (NativeCpu.IsNamedBy(compilation))
        {
            return null;
        }

        foreach (var argument in compilation.HashedArguments)
        {
            // Programs the toolchain archive does not carry: -B's directory of them (gcc looks there first for cc1 and as:
            // the server's gcc silently ran its own), -wrapper's, and clang's external assembler (the archive holds
            // clang alone: "Executable "as" doesn't exist!").
            if (argument.StartsWith("-B", StringComparison.Ordinal) || argument is "-wrapper" or "-fno-integrated-as" or "-no-integrated-as")
            {
                return null;
            }
        }

        foreach (var argument in context.OriginalArguments)
        {
            // -v/-### print the driver's commands (the server's, not ours); -Wp,-MD's target is cc1's choice.
            if (argument is "-v" or "--verbose" or "-###" || argument.StartsWith("-Wp,", StringComparison.Ordinal))
            {
                return null;
            }
        }

        var cwd = context.WorkingDirectory;
        var extraInputs = new List<string>();
        foreach (var file in compilation.ExtraHashFiles)
        {
            var full = Path.GetFullPath(file, cwd);
            if (!File.Exists(full))
            {
                return null;
            }

            extraInputs.Add(full);
        }

        var preprocessExtra = new List<string>(compilation.DependencyArguments);
        if (compilation.DepFile is not null)
        {
            if (!HasAny(compilation.DependencyArguments, "-MF"))
            {
                preprocessExtra.Add("-MF");
                preprocessExtra.Add(compilation.DepFile);
            }

            if (!HasAny(compilation.DependencyArguments, "-MT") && !HasAny(compilation.DependencyArguments, "-MQ"))
            {
                preprocessExtra.Add("-MQ");
                preprocessExtra.Add(compilation.OutputFile);
            }
        }

        var source = Path.GetFullPath(compilation.InputFile, cwd);
        var output = Path.GetFullPath(compilation.OutputFile, cwd);
        var rewrite = options.Dist.RewriteIncludesOnly ? RewriteMode(context) : null;
        string input;
        string inputArgument;
        var sentSource = (string?)source;
        var remote = new List<string>(compilation.CompileArguments.Count + 16);
        if (rewrite is null)
        {
            input = source + ".sharpcache-dist" + (language == "assembler" ? ".s" : ".i");
            inputArgument = input;
            remote.AddRange(["-x", language]);
            if (context.Compiler.Family == CompilerFamily.Clang && language != "assembler")
            {
                // clang names the main file after its input on the command line (its driver passes the file name to cc1 as
                // -main-file-name), not after the linemarkers: a static function's profile name under -fprofile-instr-generate
                // and -fprofile-instr-use is "main-file:function", so the text's name gave other counters and lost the
                // profile of every static function. The last -main-file-name wins: the source's own, as locally.
                remote.AddRange(["-Xclang", "-main-file-name", "-Xclang", Path.GetFileName(compilation.InputFile)]);
            }
        }
        else
        {
            preprocessExtra.Add(rewrite);
            remote.AddRange(["-x", SourceLanguage(compilation.Language)!]);
            if (context.Compiler.Family == CompilerFamily.Gcc)
            {
                input = source + ".sharpcache-dist.i";
                inputArgument = input;
                remote.AddRange(["-fpreprocessed", "-fdirectives-only"]);
            }
            else
            {
                // The rewritten text stands in for the source, named as the user named it.
                input = source;
                inputArgument = compilation.InputFile;
                sentSource = null;
                remote.AddRange(MacroArguments(compilation.PreprocessArguments));
            }
        }

        if (!compilation.CompileArguments.Contains("-S"))
        {
            if (WantsPipe(context, language))
            {
                remote.Add("-pipe");
            }

            remote.Add("-c");
        }

        remote.AddRange(compilation.CompileArguments);
        remote.Add(inputArgument);
        remote.Add("-o");
        remote.Add(compilation.OutputFile); // as the user wrote it (the job runs in the same directory): -gsplit-dwarf names the .dwo in the object by it

        var outputs = new List<string> { output };
        foreach (var side in (ReadOnlySpan<string?>)[compilation.SplitDwarfFile, compilation.CoverageNotesFile])
        {
            if (side is not null)
            {
                outputs.Add(Path.GetFullPath(side, cwd));
            }
        }

        return new DistPlan(preprocessExtra, remote, input, sentSource, outputs, [output], extraInputs) { RetryLocallyOnError = rewrite is not null };
    }

    /// <summary>
    /// Whether the build server's gcc should pass cc1's assembly to <c>as</c> through a pipe (<c>-pipe</c>) rather than a file in
    /// the sandbox's /tmp: the assembler then starts beside the compiler instead of after it, and the object is the same
    /// (checked byte for byte, also with <c>-g</c>). tiny.c: 16.9 → 13.9 ms (hyperfine). Not for assembler input (no cc1) nor
    /// for clang (its assembler is built in). A user's own <c>-pipe</c> is not among the compile arguments: this puts it back.
    /// (<c>-save-temps</c>, with which gcc would warn that it ignores <c>-pipe</c>, is not cacheable: no plan is made for it.)
    /// </summary>
    private static bool WantsPipe(CompileContext context, string language) =>
        context.Compiler.Family == CompilerFamily.Gcc && language != "assembler";

    /// <summary>The include-rewriting flag for this compile, or null when it is preprocessed in full.</summary>
    private static string? RewriteMode(CompileContext context)
    {
        if (SourceLanguage(context.Compilation.Language) is null)
        {
            return null; // assembler: nothing to gain
        }

        if (context.Compiler.Family == CompilerFamily.Clang)
        {
            return "-frewrite-includes";
        }

        foreach (var argument in context.OriginalArguments)
        {
            // gcc's directives-only text under -pedantic warns about things a full compile does not (sccache leaves it out too).
            if (argument.StartsWith("-pedantic", StringComparison.Ordinal) || argument == "-Wpedantic")
            {
                return null;
            }
        }

        return "-fdirectives-only";
    }

    private static string? SourceLanguage(Language language) => language switch
    {
        Language.C => "c",
        Language.Cxx => "c++",
        Language.ObjC => "objective-c",
        Language.ObjCxx => "objective-c++",
        _ => null,
    };

    /// <summary>The <c>-D</c>/<c>-U</c> arguments among the preprocessor's, in order (both spellings: <c>-DX</c> and <c>-D X</c>).</summary>
    internal static List<string> MacroArguments(IReadOnlyList<string>? preprocess)
    {
        var macros = new List<string>();
        if (preprocess is null)
        {
            return macros;
        }

        for (var i = 0; i < preprocess.Count; i++)
        {
            var argument = preprocess[i];
            if (argument is "-D" or "-U")
            {
                if (i + 1 < preprocess.Count)
                {
                    macros.Add(argument);
                    macros.Add(preprocess[++i]);
                }
            }
            else if (argument.Length > 2 && (argument.StartsWith("-D", StringComparison.Ordinal) || argument.StartsWith("-U", StringComparison.Ordinal)))
            {
                macros.Add(argument);
            }
        }

        return macros;
    }

    private static string? PreprocessedLanguage(Language language) => language switch
    {
        Language.C => "cpp-output",
        Language.Cxx => "c++-cpp-output",
        Language.ObjC => "objective-c-cpp-output",
        Language.ObjCxx => "objective-c++-cpp-output",
        Language.AssemblerWithCpp => "assembler",
        _ => null,
    };

    private static bool HasAny(IReadOnlyList<string> arguments, string option)
    {
        foreach (var argument in arguments)
        {
            if (argument.StartsWith(option, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
