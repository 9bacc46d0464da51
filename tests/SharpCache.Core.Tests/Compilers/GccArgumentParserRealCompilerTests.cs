using System.Diagnostics;
using SharpCache.Core.Compilers;
using static SharpCache.Core.Tests.Compilers.ParserTestHelpers;

namespace SharpCache.Core.Tests.Compilers;

/// <summary>Runs the machine's gcc and clang with <see cref="ParsedCompilation.PreprocessArguments"/>.</summary>
public sealed class GccArgumentParserRealCompilerTests
{
    public static TheoryData<string, CompilerFamily> Compilers => new()
    {
        { "gcc", CompilerFamily.Gcc },
        { "clang", CompilerFamily.Clang },
    };

    [Theory]
    [MemberData(nameof(Compilers))]
    public async Task PreprocessArguments_RealCompiler_WritesTextToStdoutAndNoFiles(string compiler, CompilerFamily family)
    {
        using var temp = new TempDirectory();
        temp.Write("inc/answer.h", "#define ANSWER (FACTOR * 21)\n");
        temp.Write("src/x.c", "#include \"answer.h\"\nint value = ANSWER;\n#ifdef __OPTIMIZE__\nint optimized;\n#endif\n");
        Directory.CreateDirectory(Path.Combine(temp.Path, "obj"));
        temp.Write("args.rsp", "-DFACTOR=2 -Iinc");

        var c = Cacheable(family, temp.Path, "-c", "@args.rsp", "-O2", "-MD", "-MF", "obj/x.d", "-MT", "obj/x.o",
            "-g", "-gsplit-dwarf", "--coverage", "-Wp,-MMD,obj/wp.d", "src/x.c", "-o", "obj/x.o");
        var run = await RunAsync(compiler, temp.Path, c.PreprocessArguments!);
        if (run is null)
        {
            return; // Compiler not installed on this machine.
        }

        Assert.Equal(0, run.Value.ExitCode);
        Assert.Contains("int value = (2 * 21);", run.Value.Stdout, StringComparison.Ordinal);
        Assert.Contains("int optimized;", run.Value.Stdout, StringComparison.Ordinal);
        Assert.Equal(["x.c"], Directory.GetFiles(Path.Combine(temp.Path, "src")).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(Path.Combine(temp.Path, "obj")));
        Assert.Equal(["args.rsp"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Compilers))]
    public async Task PreprocessArguments_XLanguage_IsHonoured(string compiler, CompilerFamily family)
    {
        using var temp = new TempDirectory();
        temp.Write("x.txt", "#ifdef __cplusplus\nint cplusplus;\n#endif\n");

        var c = Cacheable(family, temp.Path, "-c", "-x", "c++", "x.txt");
        var run = await RunAsync(compiler, temp.Path, c.PreprocessArguments!);
        if (run is null)
        {
            return;
        }

        Assert.Equal(0, run.Value.ExitCode);
        Assert.Contains("int cplusplus;", run.Value.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Compilers))]
    public async Task DerivedOutputs_RealCompiler_MatchFilesWritten(string compiler, CompilerFamily family)
    {
        using var temp = new TempDirectory();
        temp.Write("src/x.c", "int f(void) { return 1; }\n");
        Directory.CreateDirectory(Path.Combine(temp.Path, "obj"));
        string[] arguments = ["-c", "-MD", "-g", "-gsplit-dwarf", "--coverage", "src/x.c", "-o", "obj/y.o"];

        var c = Cacheable(family, temp.Path, arguments);
        var run = await RunAsync(compiler, temp.Path, arguments);
        if (run is null)
        {
            return;
        }

        Assert.Equal(0, run.Value.ExitCode);
        string?[] expected = [c.OutputFile, c.DepFile, c.SplitDwarfFile, c.CoverageNotesFile];
        var written = Directory.GetFiles(Path.Combine(temp.Path, "obj")).Select(f => "obj/" + Path.GetFileName(f)).Order();
        Assert.Equal(expected.Order(), written);
    }

    private static async Task<(int ExitCode, string Stdout)?> RunAsync(string compiler, string workingDirectory, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(compiler)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            await stderr;
            return (process.ExitCode, stdout);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
