using System.Text;
using SharpCache.Core.Compilers;
using SharpCache.Core.Direct;
using SharpCache.Core.Hashing;
using SharpCache.Core.Processes;

namespace SharpCache.Client;

/// <summary>
/// The include search list of a compile, for negative probes in depend mode (where no
/// preprocessor runs). Asked of the compiler once per set of search-relevant arguments
/// (<c>cc ... -E -v -x lang /dev/null</c>) and memoised in the cache directory.
/// </summary>
internal static class SearchPathMemo
{
    public static IReadOnlyList<string>? Get(CompileContext context, IProcessRunner runner, string cacheDirectory)
    {
        var preprocess = context.Compilation.PreprocessArguments;
        if (preprocess is null)
        {
            return null;
        }

        var arguments = new List<string>(preprocess.Count + 4);
        var replaced = false;
        foreach (var argument in preprocess)
        {
            if (!replaced && argument == context.Compilation.InputFile)
            {
                arguments.Add("-x");
                arguments.Add(LanguageName(context.Compilation.Language));
                arguments.Add("/dev/null");
                replaced = true;
            }
            else
            {
                arguments.Add(argument);
            }
        }

        if (!replaced)
        {
            return null;
        }

        arguments.Add("-v");
        using var hasher = new KeyHasher();
        hasher.Add("search-path-1", context.Compiler.Digest);
        hasher.Add("cwd", context.WorkingDirectory);
        foreach (var argument in arguments)
        {
            hasher.Add("arg", argument);
        }

        foreach (var name in (string[])["CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH", "OBJCPLUS_INCLUDE_PATH"])
        {
            hasher.Add("env", name + "=" + Environment.GetEnvironmentVariable(name));
        }

        var memo = Path.Combine(cacheDirectory, "searchpath", hasher.FinishHex()[..40]);
        try
        {
            if (File.Exists(memo))
            {
                return File.ReadAllLines(memo);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        var result = runner.RunCaptured(context.Compiler.ExecutablePath, arguments, context.WorkingDirectory);
        if (result.ExitCode != 0)
        {
            return null;
        }

        var directories = IncludeSearchPath.Parse(Encoding.UTF8.GetString(result.Stderr));
        if (directories.Count == 0)
        {
            return null;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(memo)!);
            var temp = memo + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            File.WriteAllLines(temp, directories);
            File.Move(temp, memo, overwrite: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return directories;
    }

    private static string LanguageName(Language language) => language switch
    {
        Language.Cxx => "c++",
        Language.ObjC => "objective-c",
        Language.ObjCxx => "objective-c++",
        Language.AssemblerWithCpp => "assembler-with-cpp",
        _ => "c",
    };
}
