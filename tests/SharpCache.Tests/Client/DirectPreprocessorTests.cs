using SharpCache.Client;
using SharpCache.Core.Compilers;
using SharpCache.Core.Compilers.Detection;
using SharpCache.Core.Processes;

namespace SharpCache.Tests.Client;

/// <summary>
/// gcc's preprocessor run without its driver, with the real gcc and g++: the command learnt from <c>-###</c> on a first compile
/// and checked against it prints, on other inputs, what the driver prints, and writes the same depfile.
/// </summary>
public sealed class DirectPreprocessorTests : IDisposable
{
    private readonly string _cwd = Directory.CreateTempSubdirectory("sharpcache-directcpp-").FullName;

    public DirectPreprocessorTests()
    {
        Directory.CreateDirectory(Path.Combine(_cwd, "src"));
        Directory.CreateDirectory(Path.Combine(_cwd, "inc"));
        Directory.CreateDirectory(Path.Combine(_cwd, "obj"));
        File.WriteAllText(Path.Combine(_cwd, "inc", "cfg.h"), "#define CFG 42\n");
        foreach (var name in (string[])["a", "b"])
        {
            File.WriteAllText(Path.Combine(_cwd, "src", name + ".c"), $"#include <cfg.h>\n#include <stdio.h>\nint {name}(void) {{ return CFG + FOO + __LINE__; }}\n#ifdef _REENTRANT\nint reentrant_{name};\n#endif\n");
            File.WriteAllText(Path.Combine(_cwd, "src", name + ".cpp"), $"#include <vector>\nint {name}() {{ return std::vector<int>(FOO).size(); }}\n");
        }
    }

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    private string CacheDirectory => Path.Combine(_cwd, "cache");

    [Theory]
    [InlineData(" /usr/lib/gcc/x86_64-linux-gnu/12/cc1 -E -quiet x.c \"-mtune=generic\" -O2", new[] { "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "-E", "-quiet", "x.c", "-mtune=generic", "-O2" })]
    [InlineData(" \"/opt/my gcc/cc1\" \"-DX=\\\"a b\\\"\" \"\" \"\\\\\\$HOME\"", new[] { "/opt/my gcc/cc1", "-DX=\"a b\"", "", "\\$HOME" })]
    public void ParseCommandLine_ReadsWhatDashHashHashPrints(string line, string[] expected)
    {
        Assert.Equal(expected, DirectPreprocessor.ParseCommandLine(line));
    }

    [Theory]
    [InlineData(" \"/cc1 -E")]
    [InlineData("/cc1 -E")]
    [InlineData(" /cc1  -E")]
    [InlineData(" \"/cc1\\")]
    public void ParseCommandLine_Malformed_IsNull(string line)
    {
        Assert.Null(DirectPreprocessor.ParseCommandLine(line));
    }

    [Theory]
    [InlineData("gcc", ".c", "cc1")]
    [InlineData("g++", ".cpp", "cc1plus")]
    public void LearntOnOneInput_OnAnotherPrintsWhatTheDriverPrints(string driver, string extension, string proper)
    {
        string[] Arguments(string name) => ["-c", "-O2", "-DFOO=3", "-pthread", "-Iinc", $"src/{name}{extension}", "-o", $"obj/{name}.o"];

        // First compile: the driver runs, the command is learnt and checked against it.
        var first = Context(driver, Arguments("a"));
        var learning = Resolve(first);
        Assert.Null(learning.Command);
        Assert.NotNull(learning.Pending);
        var firstRun = PreprocessorRun.Execute(first, ProcessRunner.Instance, ["-v"], null, CacheDirectory);
        Assert.Equal(0, firstRun.ExitCode);

        // Next compile: the compiler proper straight away, the same text and search list as the driver gives.
        var second = Context(driver, Arguments("b"));
        var command = Resolve(second).Command;
        Assert.NotNull(command);
        Assert.Equal(proper, Path.GetFileName(command.Value.Executable));
        Assert.Contains("src/b" + extension, command.Value.Arguments);
        Assert.DoesNotContain(command.Value.Arguments, a => a.Contains("a" + extension, StringComparison.Ordinal));

        var direct = PreprocessorRun.Execute(second, ProcessRunner.Instance, ["-v"], null, CacheDirectory);
        var viaDriver = PreprocessorRun.Execute(second, ProcessRunner.Instance, ["-v"], null);
        Assert.Equal(0, direct.ExitCode);
        Assert.Equal(viaDriver.Digest, direct.Digest);
        Assert.Equal(SearchList(viaDriver.Stderr), SearchList(direct.Stderr));
        Assert.Contains(Path.Combine(_cwd, "inc"), SearchList(direct.Stderr).Select(d => Path.GetFullPath(d, _cwd)));
    }

    [Fact]
    public void Depfile_WrittenWhereMFSays_WithTheTargetOfMQ_AsTheDriverWritesIt()
    {
        // The distributed path's preprocessor run writes the depfile (-MD -MF -MQ): the operands are marks, not memoised values.
        string[] Extra(string name) => ["-MD", "-MF", $"obj/{name}.d", "-MQ", $"obj/{name}.o"];
        var first = Context("gcc", ["-c", "-DFOO=1", "-Iinc", "src/a.c", "-o", "obj/a.o"]);
        Assert.Equal(0, PreprocessorRun.Execute(first, ProcessRunner.Instance, Extra("a"), null, CacheDirectory).ExitCode);

        var second = Context("gcc", ["-c", "-DFOO=1", "-Iinc", "src/b.c", "-o", "obj/b.o"]);
        Assert.NotNull(Resolve(second, Extra("b")).Command);
        Assert.Equal(0, PreprocessorRun.Execute(second, ProcessRunner.Instance, Extra("b"), null, CacheDirectory).ExitCode);
        var direct = File.ReadAllText(Path.Combine(_cwd, "obj", "b.d"));
        File.Delete(Path.Combine(_cwd, "obj", "b.d"));
        Assert.Equal(0, PreprocessorRun.Execute(second, ProcessRunner.Instance, Extra("b"), null).ExitCode);

        Assert.Equal(File.ReadAllText(Path.Combine(_cwd, "obj", "b.d")), direct);
        Assert.StartsWith("obj/b.o:", direct, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cwd, "b.d")));
    }

    [Fact]
    public void MDWithoutMF_DriverNamesTheDepfileAfterTheInput_RunsTheDriver()
    {
        var context = Context("gcc", ["-c", "-DFOO=1", "-Iinc", "src/a.c", "-o", "obj/a.o"]);
        Assert.Equal(0, PreprocessorRun.Execute(context, ProcessRunner.Instance, ["-MD"], null, CacheDirectory).ExitCode);

        Assert.Null(Resolve(context, ["-MD"]).Command);
        Assert.Null(Resolve(context, ["-MD"]).Pending);
    }

    [Fact]
    public void ScriptInFrontOfGcc_IsRunEveryTime()
    {
        // A wrapper's own doings (here: a log of its calls) would be skipped by running cc1 directly: scripts keep the driver.
        var script = Path.Combine(_cwd, "logging-gcc");
        File.WriteAllText(script, "#!/bin/sh\necho \"$*\" >> \"$(dirname \"$0\")/calls.log\"\nexec gcc \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var parsed = Assert.IsType<ArgumentParseResult.Cacheable>(GccArgumentParser.Parse(["-c", "-DFOO=1", "-Iinc", "src/a.c"], CompilerFamily.Gcc, _cwd));
        var context = new CompileContext(new CompilerIdentity(script, CompilerFamily.Gcc, "test", Core.Hashing.KeyHasher.HashFile(script)), parsed.Compilation, ["-c", "-DFOO=1", "-Iinc", "src/a.c"], _cwd, BasedirMapper.Inactive);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(0, PreprocessorRun.Execute(context, ProcessRunner.Instance, ["-v"], null, CacheDirectory).ExitCode);
        }

        Assert.Equal(default, Resolve(context));
        Assert.Equal(["-v -E -DFOO=1 -Iinc src/a.c", "-v -E -DFOO=1 -Iinc src/a.c"], File.ReadAllLines(Path.Combine(_cwd, "calls.log")));
    }

    [Fact]
    public void Clang_RunsTheDriver()
    {
        var context = Context("clang", ["-c", "-DFOO=1", "src/a.c"]);

        Assert.Equal(default, Resolve(context));
    }

    /// <summary>The directories between cc1's "search starts here:" and "End of search list.".</summary>
    private static List<string> SearchList(byte[] stderr) =>
        [.. System.Text.Encoding.UTF8.GetString(stderr).Split('\n')
            .SkipWhile(l => !l.StartsWith("#include \"...\" search starts here:", StringComparison.Ordinal))
            .TakeWhile(l => l != "End of search list.")
            .Where(l => l.StartsWith(' '))
            .Select(l => l.Trim())];

    private DirectPreprocessor.Resolution Resolve(CompileContext context, IReadOnlyList<string>? extra = null)
    {
        var arguments = new List<string>(extra ?? ["-v"]);
        arguments.AddRange(context.Compilation.PreprocessArguments!);
        return DirectPreprocessor.Resolve(context, ProcessRunner.Instance, arguments, CacheDirectory);
    }

    private CompileContext Context(string driver, string[] arguments)
    {
        var family = driver == "clang" ? CompilerFamily.Clang : CompilerFamily.Gcc;
        var parsed = Assert.IsType<ArgumentParseResult.Cacheable>(GccArgumentParser.Parse(arguments, family, _cwd));
        var path = "/usr/bin/" + driver;
        var compiler = new CompilerIdentity(path, family, "test", Core.Hashing.KeyHasher.HashFile(path)) { IsCxxDriver = driver == "g++" };
        return new CompileContext(compiler, parsed.Compilation, arguments, _cwd, BasedirMapper.Inactive);
    }
}
