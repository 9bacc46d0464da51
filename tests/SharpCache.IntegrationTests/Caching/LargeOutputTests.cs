using System.Text;
using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Caching;

/// <summary>Diagnostics and stdout far larger than a pipe buffer (64 KiB) must neither deadlock nor be cut.</summary>
public sealed class LargeOutputTests
{
    [Theory]
    [InlineData("gcc")]
    [InlineData("clang")]
    public void Compile_HundredsOfKilobytesOfWarnings_ReplayedCompletely(string compiler)
    {
        using var env = new TestEnvironment();
        // One unused variable per function: clang reports a scope's unused variables in hash order.
        var sb = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            sb.Append("int f").Append(i).Append("(void) { int unused_variable_number_").Append(i).Append("; return 0; }\n");
        }

        env.Write("noisy.c", sb.ToString());
        var reference = env.Direct(compiler, "-Wall", "-c", "noisy.c", "-o", "noisy.o");
        Assert.True(reference.Stderr.Length > 128 * 1024, $"test needs a big stderr, got {reference.Stderr.Length} bytes");
        CompileCheck.MissThenHit(env, compiler, ["-Wall", "-c", "noisy.c", "-o", "noisy.o"], ["noisy.o"]);
    }

    [Fact]
    public void Preprocess_LargeStdout_PassedThroughCompletely()
    {
        using var env = new TestEnvironment();
        env.Write("big.cpp", "#include <string>\n#include <vector>\n#include <map>\n#include <iostream>\n#include <algorithm>\nint main() { return 0; }\n");
        var reference = env.Direct("g++", "-E", "big.cpp");
        Assert.True(reference.Stdout.Length > 256 * 1024, $"test needs a big stdout, got {reference.Stdout.Length} bytes");
        var cached = env.Cached("g++", "-E", "big.cpp");
        CompileCheck.AssertSameResult(reference, cached, "g++ -E", env);
    }

    [Fact]
    public void Compile_AssemblerSources_ObjectsMatchUncached()
    {
        using var env = new TestEnvironment();
        env.Write("plain.s", ".text\n.globl answer\nanswer:\n    movl $42, %eax\n    ret\n");
        env.Write("pre.S", "#define VALUE 7\n.text\n.globl seven\nseven:\n    movl $VALUE, %eax\n    ret\n");
        foreach (var (src, obj) in new[] { ("plain.s", "plain.o"), ("pre.S", "pre.o") })
        {
            Assert.Equal(0, env.Direct("gcc", "-c", src, "-o", "ref.o").ExitCode);
            for (var i = 0; i < 2; i++)
            {
                env.Delete(obj);
                var r = env.Cached("gcc", "-c", src, "-o", obj);
                Assert.True(r.ExitCode == 0, $"{src} #{i + 1}: {r.Describe()}");
                Assert.True(env.Read("ref.o").AsSpan().SequenceEqual(env.Read(obj)), $"{src} #{i + 1}: object differs");
            }
        }
    }
}
