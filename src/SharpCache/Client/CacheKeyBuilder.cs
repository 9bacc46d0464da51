using SharpCache.Core.Compilers;
using SharpCache.Core.Compilers.Detection;
using SharpCache.Core.Hashing;
using SharpCache.Core.Processes;
using SharpCache.Storage;

namespace SharpCache.Client;

/// <summary>
/// Preprocessor-mode key (DESIGN.md §3): compiler identity, language, the arguments that act
/// beyond the preprocessed text, the environment that changes the compiler's behaviour, the
/// working directory and output paths where the outputs embed them, and the preprocessed text.
/// Bump <see cref="FormatVersion"/> whenever what goes in changes.
/// </summary>
internal static class CacheKeyBuilder
{
    public const string FormatVersion = "sharpcache-c-key-1";

    /// <summary>Environment variables that change what gcc/clang produce or print (ccache and sccache's lists, merged).</summary>
    private static readonly string[] HashedEnvironment =
    [
        "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LANGUAGE",
        "SOURCE_DATE_EPOCH",
        "GCC_COMPARE_DEBUG", "GCC_EXEC_PREFIX", "COMPILER_PATH", "GCC_COLORS",
        "DEPENDENCIES_OUTPUT", "SUNPRO_DEPENDENCIES",
        "CCC_OVERRIDE_OPTIONS", "SCCACHE_C_CUSTOM_CACHE_BUSTER",
        "MACOSX_DEPLOYMENT_TARGET", "IPHONEOS_DEPLOYMENT_TARGET", "TVOS_DEPLOYMENT_TARGET", "WATCHOS_DEPLOYMENT_TARGET", "SDKROOT",
    ];

    /// <summary>The key, or null with the preprocessor's result when preprocessing failed.</summary>
    public static KeyResult Compute(CompilerIdentity compiler, ParsedCompilation compilation, IReadOnlyList<string> originalArguments, string cwd, IProcessRunner runner)
    {
        using var hasher = new KeyHasher();
        hasher.Add("format", FormatVersion);
        hasher.Add("compiler.digest", compiler.Digest);
        hasher.Add("compiler.version", compiler.Version);
        hasher.Add("compiler.family", compiler.FamilyName);
        hasher.Add("compiler.cxx-driver", compiler.IsCxxDriver ? "1" : "0");
        hasher.Add("language", compilation.Language.ToString());
        foreach (var argument in compilation.HashedArguments)
        {
            hasher.Add("arg", argument);
        }

        if (compilation.DepFile is not null)
        {
            // Dependency flags (-MT/-MQ/-MP/-MMD) shape the depfile, which is restored verbatim:
            // hash the whole command line, and the contents of any response files it names.
            foreach (var argument in originalArguments)
            {
                hasher.Add("dep-arg", argument);
                if (argument.Length > 1 && argument[0] == '@')
                {
                    AddFile(hasher, "dep-rsp", argument, Path.GetFullPath(argument[1..], cwd));
                }
            }
        }

        foreach (var file in compilation.ExtraHashFiles)
        {
            AddFile(hasher, "extra-file", file, Path.GetFullPath(file, cwd));
        }

        foreach (var name in HashedEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                hasher.Add("env", name + "=" + value);
            }
        }

        if (compilation.KeyIncludesWorkingDirectory)
        {
            hasher.Add("cwd", cwd);
        }

        if (compilation.KeyIncludesOutputPaths)
        {
            hasher.Add("out.obj", compilation.OutputFile);
            hasher.Add("out.d", compilation.DepFile ?? "");
            hasher.Add("out.dwo", compilation.SplitDwarfFile ?? "");
            hasher.Add("out.gcno", compilation.CoverageNotesFile ?? "");
        }

        if (compilation.PreprocessArguments is { } preprocess)
        {
            hasher.BeginStream("preprocessed");
            var result = runner.RunStreaming(compiler.ExecutablePath, preprocess, cwd, hasher.Append);
            if (result.ExitCode != 0)
            {
                return new KeyResult(null, result);
            }
        }
        else
        {
            AddFile(hasher, "source", compilation.InputFile, Path.GetFullPath(compilation.InputFile, cwd));
        }

        return new KeyResult(new CacheKey(hasher.FinishHex()), null);
    }

    private static void AddFile(KeyHasher hasher, string tag, string label, string path)
    {
        string digest;
        try
        {
            digest = File.Exists(path) ? KeyHasher.HashFile(path) : "missing";
        }
        catch (IOException)
        {
            digest = "unreadable";
        }
        catch (UnauthorizedAccessException)
        {
            digest = "unreadable";
        }

        hasher.Add(tag, label + "\0" + digest);
    }
}
