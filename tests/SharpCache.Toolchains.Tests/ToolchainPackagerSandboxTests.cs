namespace SharpCache.Toolchains.Tests;

/// <summary>Real compilers packaged and run with only their archive as the root file system.</summary>
public sealed class ToolchainPackagerSandboxTests
{
    private const string CSource = """
        #include <stdio.h>
        #include <string.h>
        static int twice(int x) { return 2 * x; }
        int main(int argc, char **argv) { printf("%d %zu\n", twice(argc), strlen(argv[0])); return 0; }
        """;

    private const string CppSource = """
        #include <vector>
        #include <string>
        #include <algorithm>
        std::string longest(const std::vector<std::string>& words) {
            return *std::max_element(words.begin(), words.end(), [](auto& a, auto& b) { return a.size() < b.size(); });
        }
        """;

    [Fact]
    public async Task Package_Gcc_CompilesInSandboxLikeLocally()
    {
        var archive = await SandboxCompile.AssertMatchesLocalAsync("/usr/bin/gcc", "hello.c", CSource, "hello.i", ["-c", "-O2", "hello.i", "-o", "hello.o"]);
        Assert.Equal("/usr/bin/gcc", archive.CompilerPath);
    }

    [Fact]
    public async Task Package_Gcc_SplitDwarfInSandboxLikeLocally()
    {
        // The driver runs objcopy twice after the assembler (--extract-dwo, --strip-dwo): without it in the archive the
        // job failed ("cannot execute 'objcopy'") and every such compile fell back to the client.
        await SandboxCompile.AssertMatchesLocalAsync("/usr/bin/gcc", "hello.c", CSource, "hello.i", ["-c", "-O2", "-g", "-gsplit-dwarf", "hello.i", "-o", "hello.o"], "hello.dwo");
    }

    [Fact]
    public async Task Package_Gcc_TheLoaderFindsEveryLibraryOfCc1InItsCache()
    {
        Assert.True(File.Exists("/etc/ld.so.cache"), "this machine has no loader cache to package (Debian's libc-bin makes it)");

        using var temp = new TempDirectory();
        var (root, _) = await SandboxCompile.PackageAndUnpackAsync("/usr/bin/gcc", temp);
        var (_, cc1) = await Run.ProcessAsync("/usr/bin/gcc", ["-print-prog-name=cc1"]);
        var work = Directory.CreateDirectory(temp.Combine("work")).FullName;

        var (exit, output) = await Run.InSandboxAsync(root, work, "--setenv", "LD_DEBUG", "libs", cc1.Trim(), "--version");

        Assert.True(exit == 0, output);
        var searched = output.Split('\n').Count(line => line.Contains("find library=", StringComparison.Ordinal));
        var tried = output.Split('\n').Count(line => line.Contains("trying file=", StringComparison.Ordinal));
        Assert.True(searched >= 3, output);
        Assert.True(tried == searched, $"{tried} files tried for {searched} libraries: the loader searched directories\n{output}");
    }

    [Fact]
    public async Task Package_Gpp_CompilesCppInSandboxLikeLocally()
    {
        await SandboxCompile.AssertMatchesLocalAsync("/usr/bin/g++", "words.cpp", CppSource, "words.ii", ["-c", "-O1", "words.ii", "-o", "words.o"]);
    }

    [Fact]
    public async Task Package_Clang_CompilesInSandboxLikeLocally()
    {
        await SandboxCompile.AssertMatchesLocalAsync("/usr/bin/clang", "hello.c", CSource, "hello.i", ["-c", "-O2", "hello.i", "-o", "hello.o"]);
    }

    [Fact]
    public async Task Package_ClangPlusPlus_CompilesCppInSandboxLikeLocally()
    {
        var archive = await SandboxCompile.AssertMatchesLocalAsync("/usr/bin/clang++", "words.cpp", CppSource, "words.ii", ["-c", "-O1", "words.ii", "-o", "words.o"]);
        Assert.Equal("/usr/bin/clang++", archive.CompilerPath);
    }

    [Fact]
    public async Task Package_Rustc_CompilesCrateInSandboxLikeLocally()
    {
        var rustc = Locate("rustc");
        Assert.True(rustc is not null, "rustc is not on PATH");
        const string source = """
            pub fn fib(n: u64) -> u64 { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
            pub fn names() -> Vec<String> { vec!["a".to_string(), format!("{}", fib(10))] }
            """;
        var archive = await SandboxCompile.AssertMatchesLocalAsync(
            rustc!, "lib.rs", source, preprocessedName: null,
            ["--crate-type", "lib", "--crate-name", "demo", "--emit", "obj", "-C", "opt-level=1", "lib.rs", "-o", "demo.o"]);
        Assert.EndsWith("/bin/rustc", archive.CompilerPath, StringComparison.Ordinal);
    }

    private static string? Locate(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
