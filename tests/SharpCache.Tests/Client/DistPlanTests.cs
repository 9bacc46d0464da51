using SharpCache.Client;
using SharpCache.Config;
using SharpCache.Configuration;
using SharpCache.Core.Compilers;
using SharpCache.Core.Compilers.Detection;

namespace SharpCache.Tests.Client;

public sealed class DistPlanTests : IDisposable
{
    private readonly string _cwd = Directory.CreateTempSubdirectory("sharpcache-distplan-").FullName;

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    [Fact]
    public void For_NoSchedulerUrl_IsNull()
    {
        var options = Options() with { Dist = new DistConfig { CacheDir = "/nonexistent-dist" } };

        Assert.Null(DistPlan.For(options, Context(CompilerFamily.Gcc, "-c", "x.c")));
    }

    [Fact]
    public void For_PlainC_CompilesThePreprocessedTextWithCodegenFlags_OutputAsGiven()
    {
        var plan = Plan("-c", "-O2", "-Wall", "-DFOO=1", "-Iinc", "-include", "cfg.h", "src/x.c", "-o", "obj/x.o");

        var input = Path.Combine(_cwd, "src/x.c.sharpcache-dist.i");
        var output = Path.Combine(_cwd, "obj/x.o");
        Assert.Equal(["-x", "cpp-output", "-pipe", "-c", "-O2", "-Wall", input, "-o", "obj/x.o"], plan.RemoteArguments); // -o as given
        Assert.Equal(input, plan.InputPath);
        Assert.Equal(Path.Combine(_cwd, "src/x.c"), plan.SourcePath);
        Assert.Equal([output], plan.Outputs);
        Assert.Equal([output], plan.RequiredOutputs);
        Assert.Empty(plan.PreprocessExtra);
        Assert.Empty(plan.ExtraInputs);
    }

    [Fact]
    public void For_UsersOwnPipe_IsPassedOnce()
    {
        Assert.Single(Plan("-c", "-pipe", "x.c").RemoteArguments, a => a == "-pipe");
    }

    [Fact]
    public void For_AssemblerOrS_AddsNoPipe()
    {
        Assert.DoesNotContain("-pipe", Plan("-c", "x.S").RemoteArguments);
        Assert.DoesNotContain("-pipe", Plan("-S", "x.c").RemoteArguments);
    }

    [Fact]
    public void For_Clang_AddsNoPipe()
    {
        Assert.DoesNotContain("-pipe", Plan(CompilerFamily.Clang, "-c", "x.c").RemoteArguments);
    }

    [Fact]
    public void For_Clang_NamesTheMainFileAfterTheSource()
    {
        var plan = Plan(CompilerFamily.Clang, "-c", "-O2", "-fprofile-instr-generate", "src/x.c", "-o", "x.o");

        Assert.Equal(["-x", "cpp-output", "-Xclang", "-main-file-name", "-Xclang", "x.c", "-c", "-O2", "-fprofile-instr-generate", Path.Combine(_cwd, "src/x.c.sharpcache-dist.i"), "-o", "x.o"], plan.RemoteArguments);
        Assert.DoesNotContain("-main-file-name", Plan(CompilerFamily.Gcc, "-c", "src/x.c").RemoteArguments);
        Assert.DoesNotContain("-main-file-name", Plan(CompilerFamily.Clang, "-c", "x.S").RemoteArguments);
    }

    [Theory]
    [InlineData(CompilerFamily.Gcc, new[] { "-B/opt/binutils/bin/" })]
    [InlineData(CompilerFamily.Gcc, new[] { "-B", "/opt/binutils/bin/" })]
    [InlineData(CompilerFamily.Gcc, new[] { "-wrapper", "valgrind" })]
    [InlineData(CompilerFamily.Clang, new[] { "-fno-integrated-as" })]
    [InlineData(CompilerFamily.Clang, new[] { "-no-integrated-as" })]
    public void For_ProgramsTheToolchainDoesNotCarry_StaysLocal(CompilerFamily family, string[] extra)
    {
        Assert.Null(DistPlan.For(Options(), Context(family, ["-c", "-O2", .. extra, "x.c", "-o", "x.o"])));
    }

    [Theory]
    [InlineData("-march=native")]
    [InlineData("-mtune=native")]
    [InlineData("-mcpu=native")]
    public void For_NativeProcessor_StaysLocal(string native)
    {
        // The build server's processor would be the one asked for: another object than the client's own compile.
        Assert.Null(DistPlan.For(Options(), Context(CompilerFamily.Gcc, "-c", "-O2", native, "x.c", "-o", "x.o")));
        Assert.Null(DistPlan.For(Options(), Context(CompilerFamily.Clang, "-c", native, "x.c")));
        Assert.NotNull(DistPlan.For(Options(), Context(CompilerFamily.Gcc, "-c", "-O2", "-march=x86-64-v2", "x.c", "-o", "x.o")));
    }

    [Fact]
    public void For_DefaultOutput_IsTheSourceStemInTheWorkingDirectory()
    {
        var plan = Plan("-c", "sub/y.c");

        Assert.Equal(["-x", "cpp-output", "-pipe", "-c", Path.Combine(_cwd, "sub/y.c.sharpcache-dist.i"), "-o", "y.o"], plan.RemoteArguments);
    }

    [Fact]
    public void For_MDWithoutMFOrMT_PreprocessorWritesTheDepfileForTheOutput()
    {
        var plan = Plan("-c", "-MD", "x.c", "-o", "obj/x.o");

        Assert.Equal(["-MD", "-MF", "obj/x.d", "-MQ", "obj/x.o"], plan.PreprocessExtra);
        Assert.DoesNotContain("-MD", plan.RemoteArguments);
    }

    [Fact]
    public void For_MMDWithMF_AddsOnlyTheTarget()
    {
        var plan = Plan("-c", "-MMD", "-MF", "deps/x.dep", "x.c", "-o", "x.o");

        Assert.Equal(["-MMD", "-MF", "deps/x.dep", "-MQ", "x.o"], plan.PreprocessExtra);
    }

    [Theory]
    [InlineData("-MT")]
    [InlineData("-MQ")]
    public void For_UserTarget_IsKeptAndNoOtherAdded(string option)
    {
        var plan = Plan("-c", "-MD", option, "my target", "-MP", "x.c", "-o", "x.o");

        Assert.Equal(["-MD", option, "my target", "-MP", "-MF", "x.d"], plan.PreprocessExtra);
        Assert.Equal(["-x", "cpp-output", "-pipe", "-c", Path.Combine(_cwd, "x.c.sharpcache-dist.i"), "-o", "x.o"], plan.RemoteArguments);
    }

    [Fact]
    public void For_JoinedMFAndMT_AreRecognised()
    {
        var plan = Plan("-c", "-MD", "-MFd/x.d", "-MTt", "x.c", "-o", "x.o");

        Assert.Equal(["-MD", "-MFd/x.d", "-MTt"], plan.PreprocessExtra);
    }

    [Theory]
    [InlineData("-Wp,-MD,obj/.x.o.d")]
    [InlineData("-Wp,-MMD,obj/.x.o.d")]
    [InlineData("-v")]
    [InlineData("--verbose")]
    public void For_DriverOrCc1Choices_StaysLocal(string argument)
    {
        Assert.Null(DistPlan.For(Options(), Context(CompilerFamily.Gcc, "-c", argument, "x.c", "-o", "obj/x.o")));
    }

    [Theory]
    [InlineData("x.s")]
    [InlineData("x.i")]
    [InlineData("x.ii")]
    public void For_UnpreprocessedInput_StaysLocal(string source)
    {
        Assert.Null(DistPlan.For(Options(), Context(CompilerFamily.Gcc, "-c", source, "-o", "x.o")));
    }

    [Fact]
    public void For_AssemblerWithCpp_CompilesAssembler()
    {
        var plan = Plan("-c", "x.S", "-o", "x.o");

        Assert.Equal(["-x", "assembler", "-c", Path.Combine(_cwd, "x.S.sharpcache-dist.s"), "-o", "x.o"], plan.RemoteArguments);
    }

    [Fact]
    public void For_AssembleOnly_KeepsDashSAndAddsNoDashC()
    {
        var plan = Plan("-S", "-O1", "x.c");

        Assert.Equal(["-x", "cpp-output", "-S", "-O1", Path.Combine(_cwd, "x.c.sharpcache-dist.i"), "-o", "x.s"], plan.RemoteArguments);
        Assert.DoesNotContain("-c", plan.RemoteArguments);
    }

    [Theory]
    [InlineData(new[] { "-c", "x.cpp" }, "x.cpp")]
    [InlineData(new[] { "-c", "-x", "c++", "x.c" }, "x.c")]
    public void For_Cxx_CompilesCxxCppOutput(string[] arguments, string source)
    {
        var plan = DistPlan.For(Options(), Context(CompilerFamily.Gcc, arguments))!;

        Assert.Equal(["-x", "c++-cpp-output", "-pipe", "-c", Path.Combine(_cwd, source + ".sharpcache-dist.i"), "-o", "x.o"], plan.RemoteArguments);
    }

    [Fact]
    public void For_SplitDwarf_BringsTheDwoBackButOnlyRequiresTheObject()
    {
        var plan = Plan("-c", "-g", "-gsplit-dwarf", "x.c", "-o", "o/x.o");

        Assert.Equal([Path.Combine(_cwd, "o/x.o"), Path.Combine(_cwd, "o/x.dwo")], plan.Outputs);
        Assert.Equal([Path.Combine(_cwd, "o/x.o")], plan.RequiredOutputs);
    }

    [Fact]
    public void For_ExtraHashFiles_GoAlongAtTheirAbsolutePaths()
    {
        File.WriteAllText(Path.Combine(_cwd, "x.profdata"), "profile");

        var plan = Plan(CompilerFamily.Clang, "-c", "-fprofile-use=x.profdata", "x.c", "-o", "x.o");

        Assert.Equal([Path.Combine(_cwd, "x.profdata")], plan.ExtraInputs);
        Assert.Contains("-fprofile-use=x.profdata", plan.RemoteArguments);
    }

    [Fact]
    public void For_ExtraHashFileGoneSinceTheParse_StaysLocal()
    {
        var profile = Path.Combine(_cwd, "x.profdata");
        File.WriteAllText(profile, "profile");
        var context = Context(CompilerFamily.Clang, "-c", "-fprofile-use=x.profdata", "x.c", "-o", "x.o");
        File.Delete(profile);

        Assert.Null(DistPlan.For(Options(), context));
    }

    [Fact]
    public void For_RewriteIncludesGcc_DirectivesOnlyTextCompiledAsPreprocessedSource()
    {
        var plan = DistPlan.For(Rewriting(), Context(CompilerFamily.Gcc, "-c", "-O2", "-DFOO=1", "src/x.c", "-o", "x.o"))!;

        var input = Path.Combine(_cwd, "src/x.c.sharpcache-dist.i");
        Assert.Equal(["-fdirectives-only"], plan.PreprocessExtra);
        Assert.Equal(["-x", "c", "-fpreprocessed", "-fdirectives-only", "-pipe", "-c", "-O2", input, "-o", "x.o"], plan.RemoteArguments);
        Assert.Equal(Path.Combine(_cwd, "src/x.c"), plan.SourcePath);
        Assert.True(plan.RetryLocallyOnError);
    }

    [Fact]
    public void For_RewriteIncludesClang_RewrittenTextReplacesTheSourceWithItsMacros()
    {
        var plan = DistPlan.For(Rewriting(), Context(CompilerFamily.Clang, "-c", "-O2", "-DFOO=1", "-D", "BAR", "-UBAZ", "-Iinc", "-include", "cfg.h", "src/x.cpp", "-o", "x.o"))!;

        Assert.Equal(["-frewrite-includes"], plan.PreprocessExtra);
        Assert.Equal(["-x", "c++", "-DFOO=1", "-D", "BAR", "-UBAZ", "-c", "-O2", "src/x.cpp", "-o", "x.o"], plan.RemoteArguments);
        Assert.Equal(Path.Combine(_cwd, "src/x.cpp"), plan.InputPath);
        Assert.Null(plan.SourcePath);
        Assert.True(plan.RetryLocallyOnError);
    }

    [Theory]
    [InlineData(CompilerFamily.Gcc, "-pedantic")]
    [InlineData(CompilerFamily.Gcc, "-Wpedantic")]
    [InlineData(CompilerFamily.Clang, "x.S")]
    public void For_RewriteIncludesNotApplicable_PreprocessesInFull(CompilerFamily family, string argument)
    {
        string[] arguments = argument.EndsWith(".S", StringComparison.Ordinal) ? ["-c", argument] : ["-c", argument, "x.c"];

        var plan = DistPlan.For(Rewriting(), Context(family, arguments))!;

        Assert.DoesNotContain("-fdirectives-only", plan.PreprocessExtra);
        Assert.DoesNotContain("-frewrite-includes", plan.PreprocessExtra);
        Assert.False(plan.RetryLocallyOnError);
    }

    private static SharpCacheOptions Rewriting() => Options() with { Dist = Options().Dist with { RewriteIncludesOnly = true } };

    private DistPlan Plan(params string[] arguments) => Plan(CompilerFamily.Gcc, arguments);

    private DistPlan Plan(CompilerFamily family, params string[] arguments)
    {
        var plan = DistPlan.For(Options(), Context(family, arguments));
        Assert.NotNull(plan);
        return plan;
    }

    private CompileContext Context(CompilerFamily family, params string[] arguments)
    {
        var parsed = Assert.IsType<ArgumentParseResult.Cacheable>(GccArgumentParser.Parse(arguments, family, _cwd));
        var compiler = new CompilerIdentity(family == CompilerFamily.Gcc ? "/usr/bin/gcc" : "/usr/bin/clang", family, "1", "digest");
        return new CompileContext(compiler, parsed.Compilation, arguments, _cwd, BasedirMapper.Inactive);
    }

    private static SharpCacheOptions Options() => new()
    {
        CacheDirectory = "/nonexistent-cache",
        ServerSocketPath = "/nonexistent-socket",
        Dist = new DistConfig { SchedulerAddress = "http://127.0.0.1:10600/", CacheDir = "/nonexistent-dist" },
    };
}
