using SharpCache.Core.Compilers;
using SharpCache.Core.Compilers.Detection;
using SharpCache.Core.Hashing;

namespace SharpCache.Client;

/// <summary>
/// The two keys of DESIGN.md §3, as <see cref="KeyRecipe"/>s:
/// the <b>direct key</b> (compiler, arguments, environment, source file digest: computable without
/// running anything) that leads to a manifest, and the <b>result key</b> (the same, with the
/// preprocessed text in place of the preprocessor arguments and the source) that names the
/// stored outputs. Bump the format strings whenever what goes in changes.
/// </summary>
internal static class CacheKeyBuilder
{
    public const string ResultFormat = "sharpcache-c-result-2";
    public const string DirectFormat = "sharpcache-c-direct-2";

    /// <summary>Environment variables that change what gcc/clang produce or print (ccache's and sccache's lists, merged).</summary>
    private static readonly string[] HashedEnvironment =
    [
        "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LANGUAGE",
        "SOURCE_DATE_EPOCH",
        "GCC_COMPARE_DEBUG", "GCC_EXEC_PREFIX", "COMPILER_PATH", "GCC_COLORS",
        "DEPENDENCIES_OUTPUT", "SUNPRO_DEPENDENCIES",
        "CCC_OVERRIDE_OPTIONS", "SCCACHE_C_CUSTOM_CACHE_BUSTER",
        "MACOSX_DEPLOYMENT_TARGET", "IPHONEOS_DEPLOYMENT_TARGET", "TVOS_DEPLOYMENT_TARGET", "WATCHOS_DEPLOYMENT_TARGET", "SDKROOT",
    ];

    /// <summary>Variables that change which headers the preprocessor finds: in the direct key only (their effect is in the text).</summary>
    private static readonly string[] IncludePathEnvironment =
    [
        "CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH", "OBJCPLUS_INCLUDE_PATH",
    ];

    /// <summary>Result key inputs, given the digest of the (basedir-normalised) preprocessed text.</summary>
    public static KeyRecipe ResultRecipe(CompileContext context, string preprocessedDigest)
    {
        var recipe = new KeyRecipe();
        recipe.Add("format", ResultFormat);
        AddCommon(recipe, context);
        recipe.Add("preprocessed", preprocessedDigest);
        return recipe;
    }

    /// <summary>Result key inputs for a language that is not preprocessed (<c>.i</c>, <c>.s</c>): the source itself.</summary>
    public static KeyRecipe UnpreprocessedResultRecipe(CompileContext context)
    {
        var recipe = new KeyRecipe();
        recipe.Add("format", ResultFormat);
        AddCommon(recipe, context);
        AddFile(recipe, context, "source", context.Compilation.InputFile);
        return recipe;
    }

    /// <summary>Direct key inputs: everything that can change the preprocessed text, without running the preprocessor.</summary>
    public static KeyRecipe DirectRecipe(CompileContext context)
    {
        var recipe = new KeyRecipe();
        recipe.Add("format", DirectFormat);
        AddCommon(recipe, context);
        foreach (var argument in context.Compilation.PreprocessArguments ?? [])
        {
            recipe.Add("pp-arg", context.Mapper.Map(argument));
        }

        foreach (var name in IncludePathEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                recipe.Add("env", name + "=" + context.Mapper.Map(value));
            }
        }

        AddFile(recipe, context, "source", context.Compilation.InputFile);
        return recipe;
    }

    private static void AddCommon(KeyRecipe recipe, CompileContext context)
    {
        var compiler = context.Compiler;
        var compilation = context.Compilation;
        var mapper = context.Mapper;
        recipe.Add("compiler.digest", compiler.Digest);
        recipe.Add("compiler.version", compiler.Version);
        recipe.Add("compiler.family", compiler.FamilyName);
        recipe.Add("compiler.cxx-driver", compiler.IsCxxDriver ? "1" : "0");
        recipe.Add("language", compilation.Language.ToString());

        // Entries made under a base directory hold placeholders (in depfiles): never share them with compiles outside one.
        recipe.Add("basedir", mapper.IsActive ? "mapped" : "none");
        foreach (var argument in compilation.HashedArguments)
        {
            recipe.Add("arg", mapper.Map(argument));
        }

        if (compilation.DepFile is not null)
        {
            // Dependency flags (-MT/-MQ/-MP/-MMD) shape the depfile, which is restored verbatim:
            // hash the whole command line, and the contents of any response files it names.
            foreach (var argument in context.OriginalArguments)
            {
                recipe.Add("dep-arg", mapper.Map(argument));
                if (argument.Length > 1 && argument[0] == '@')
                {
                    AddFile(recipe, context, "dep-rsp", argument[1..]);
                }
            }
        }

        foreach (var file in compilation.ExtraHashFiles)
        {
            AddFile(recipe, context, "extra-file", file);
        }

        if (NativeCpu.IsNamedBy(compilation))
        {
            recipe.Add("native-cpu", NativeCpu.Fingerprint); // -march=native: the object depends on this machine's processor
        }

        foreach (var name in HashedEnvironment)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                recipe.Add("env", name + "=" + value);
            }
        }

        if (compilation.KeyIncludesWorkingDirectory)
        {
            recipe.Add("cwd", mapper.Map(context.WorkingDirectory));
        }

        if (compilation.KeyIncludesOutputPaths)
        {
            recipe.Add("out.obj", mapper.Map(compilation.OutputFile));
            recipe.Add("out.d", mapper.Map(compilation.DepFile ?? ""));
            recipe.Add("out.dwo", mapper.Map(compilation.SplitDwarfFile ?? ""));
            recipe.Add("out.gcno", mapper.Map(compilation.CoverageNotesFile ?? ""));
        }
    }

    private static void AddFile(KeyRecipe recipe, CompileContext context, string name, string path)
    {
        string digest;
        try
        {
            var full = Path.GetFullPath(path, context.WorkingDirectory);
            digest = File.Exists(full) ? KeyHasher.HashFile(full) : "missing";
        }
        catch (IOException)
        {
            digest = "unreadable";
        }
        catch (UnauthorizedAccessException)
        {
            digest = "unreadable";
        }

        recipe.Add(name, context.Mapper.Map(path) + " " + digest);
    }
}
