using SharpCache.Client;
using SharpCache.Client.Rust;
using SharpCache.Core.Compilers;
using SharpCache.Core.Compilers.Detection;
using SharpCache.Core.Compilers.Rust;

namespace SharpCache.Tests.Client;

public sealed class NativeCpuTests : IDisposable
{
    private const string TwoCores = """
        processor	: 0
        vendor_id	: GenuineIntel
        cpu family	: 6
        model		: 85
        model name	: Intel(R) Xeon(R) Processor
        stepping	: 4
        cpu MHz		: 2095.078
        cache size	: 16384 KB
        physical id	: 0
        core id		: 0
        apicid		: 0
        flags		: fpu vme sse sse2 avx avx2 avx512f
        bogomips	: 4190.15

        processor	: 1
        vendor_id	: GenuineIntel
        cpu family	: 6
        model		: 85
        model name	: Intel(R) Xeon(R) Processor
        stepping	: 4
        cpu MHz		: 2095.111
        cache size	: 16384 KB
        physical id	: 0
        core id		: 1
        apicid		: 1
        flags		: fpu vme sse sse2 avx avx2 avx512f
        bogomips	: 4190.15

        """;

    private readonly string _cwd = Directory.CreateTempSubdirectory("sharpcache-native-").FullName;

    public void Dispose() => Directory.Delete(_cwd, recursive: true);

    [Theory]
    [InlineData("-march=native", true)]
    [InlineData("-mtune=native", true)]
    [InlineData("-mcpu=native", true)]
    [InlineData("-C target-cpu=native", true)]
    [InlineData("-march=x86-64-v3", false)]
    [InlineData("-mtune=generic", false)]
    [InlineData("-C target-cpu=skylake", false)]
    [InlineData("-Dnative", false)]
    public void IsNamedBy_NativeProcessorOptions(string argument, bool named)
    {
        Assert.Equal(named, NativeCpu.IsNamedBy(["-O2", argument]));
    }

    [Fact]
    public void FromCpuinfo_FirstProcessorsIdentifyingLines_NotWhatChangesBetweenCoresOrOverTime()
    {
        var fingerprint = NativeCpu.FromCpuinfo(TwoCores);

        Assert.Equal(
            "vendor_id: GenuineIntel\ncpu family: 6\nmodel: 85\nmodel name: Intel(R) Xeon(R) Processor\nstepping: 4\ncache size: 16384 KB\nflags: fpu vme sse sse2 avx avx2 avx512f\n",
            fingerprint);
        Assert.Equal(fingerprint, NativeCpu.FromCpuinfo(TwoCores.Replace("2095.078", "1800.000", StringComparison.Ordinal).Replace("processor\t: 0", "processor\t: 7", StringComparison.Ordinal)));
        Assert.NotEqual(fingerprint, NativeCpu.FromCpuinfo(TwoCores.Replace(" avx512f", "", StringComparison.Ordinal)));
        Assert.NotEqual(fingerprint, NativeCpu.FromCpuinfo(TwoCores.Replace("model\t\t: 85", "model\t\t: 106", StringComparison.Ordinal)));
        Assert.Null(NativeCpu.FromCpuinfo("nothing: here\n"));
        Assert.Null(NativeCpu.FromCpuinfo(null));
    }

    [Fact]
    public void FromCpuinfo_Arm64()
    {
        const string arm = "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes crc32 atomics\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x3\nCPU part\t: 0xd0c\nCPU revision\t: 1\n\n";

        Assert.Equal("Features: fp asimd evtstrm aes crc32 atomics\nCPU implementer: 0x41\nCPU architecture: 8\nCPU variant: 0x3\nCPU part: 0xd0c\nCPU revision: 1\n", NativeCpu.FromCpuinfo(arm));
    }

    [Fact]
    public void Fingerprint_ThisMachine_NamesItsProcessor()
    {
        Assert.True(File.Exists("/proc/cpuinfo"), "no /proc/cpuinfo");
        Assert.DoesNotContain("machine ", NativeCpu.Fingerprint, StringComparison.Ordinal);
        Assert.DoesNotContain("MHz", NativeCpu.Fingerprint, StringComparison.Ordinal);
        Assert.Same(NativeCpu.Fingerprint, NativeCpu.Fingerprint); // read once
    }

    [Theory]
    [InlineData("-march=native")]
    [InlineData("-mtune=native")]
    public void CKeys_NativeOptions_IncludeTheProcessor_OthersDoNot(string native)
    {
        var plain = Context("-c", "-O2", "x.c");
        var withNative = Context("-c", "-O2", native, "x.c");

        Assert.DoesNotContain(CacheKeyBuilder.ResultRecipe(plain, "text").Components, c => c.Key == "native-cpu");
        Assert.Contains(CacheKeyBuilder.ResultRecipe(withNative, "text").Components, c => c.Key == "native-cpu" && c.Value == NativeCpu.Fingerprint);
        File.WriteAllText(Path.Combine(_cwd, "x.c"), "int x;\n");
        Assert.Contains(CacheKeyBuilder.DirectRecipe(withNative).Components, c => c.Key == "native-cpu");
    }

    [Fact]
    public void RustKeysAndDist_TargetCpuNative()
    {
        File.WriteAllText(Path.Combine(_cwd, "lib.rs"), "pub fn f() {}\n");
        string[] lib = ["--crate-name", "demo", "--crate-type", "lib", "--emit=link", "lib.rs", "--out-dir", "out"];
        var plain = RustContext(lib);
        var native = RustContext([.. lib, "-C", "target-cpu=native"]);

        Assert.DoesNotContain(RustKeys.Direct(plain).Components, c => c.Key == "native-cpu");
        Assert.Contains(RustKeys.Direct(native).Components, c => c.Key == "native-cpu");
        Assert.True(RustDistPlan.IsDistributable(plain.Compilation));
        Assert.False(RustDistPlan.IsDistributable(native.Compilation));
        Assert.False(RustDistPlan.IsDistributable(RustContext([.. lib, "-Ctarget-cpu=native"]).Compilation));
    }

    private CompileContext Context(params string[] arguments)
    {
        var parsed = Assert.IsType<ArgumentParseResult.Cacheable>(GccArgumentParser.Parse(arguments, CompilerFamily.Gcc, _cwd));
        return new CompileContext(new CompilerIdentity("/usr/bin/gcc", CompilerFamily.Gcc, "1", "digest"), parsed.Compilation, arguments, _cwd, BasedirMapper.Inactive);
    }

    private RustCompileContext RustContext(string[] arguments)
    {
        var compilation = Assert.IsType<RustParseResult.Cacheable>(RustArgumentParser.Parse(arguments, _cwd)).Compilation;
        return new RustCompileContext(new RustcIdentity("/usr/bin/rustc", "rustc 1.0", "/usr", "digest"), compilation, _cwd, BasedirMapper.Inactive, Path.GetFullPath(compilation.OutDir, _cwd));
    }
}
