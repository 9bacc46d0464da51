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
/// </summary>
internal sealed record DistPlan(IReadOnlyList<string> PreprocessExtra, IReadOnlyList<string> RemoteArguments, string InputPath, string SourcePath, IReadOnlyList<string> Outputs, IReadOnlyList<string> RequiredOutputs, IReadOnlyList<string> ExtraInputs)
{
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
        var input = source + ".sharpcache-dist" + (language == "assembler" ? ".s" : ".i");
        var output = Path.GetFullPath(compilation.OutputFile, cwd);
        var remote = new List<string>(compilation.CompileArguments.Count + 8) { "-x", language };
        if (!compilation.CompileArguments.Contains("-S"))
        {
            remote.Add("-c");
        }

        remote.AddRange(compilation.CompileArguments);
        remote.Add(input);
        remote.Add("-o");
        remote.Add(output);

        var outputs = new List<string> { output };
        foreach (var side in (ReadOnlySpan<string?>)[compilation.SplitDwarfFile, compilation.CoverageNotesFile])
        {
            if (side is not null)
            {
                outputs.Add(Path.GetFullPath(side, cwd));
            }
        }

        return new DistPlan(preprocessExtra, remote, input, source, outputs, [output], extraInputs);
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
