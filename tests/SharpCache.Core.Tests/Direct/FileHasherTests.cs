using System.Text;
using SharpCache.Core.Direct;

namespace SharpCache.Core.Tests.Direct;

public sealed class FileHasherTests
{
    [Fact]
    public void TryHash_Content_IsBlake3()
    {
        using var tree = new DirectTree();
        var content = new byte[300_000];
        new Random(5).NextBytes(content);
        var path = tree.WriteBytes("big.bin", content);

        Assert.True(FileHasher.TryHash(path, true, out var digest, out _));

        Assert.Equal(FileDigest.Read(Blake3.Hasher.Hash(content).AsSpan()), digest);
    }

    [Theory]
    [InlineData("__TIME__")]
    [InlineData("__TIMESTAMP__")]
    [InlineData("__DATE__")]
    public void TryHash_MacroAcrossReadBoundary_Found(string macro)
    {
        using var tree = new DirectTree();
        for (var offset = 64 * 1024 - macro.Length; offset <= 64 * 1024; offset++)
        {
            var text = new string('a', offset) + macro + new string('b', 100);
            var path = tree.WriteBytes($"f{offset}.h", Encoding.ASCII.GetBytes(text));

            Assert.True(FileHasher.TryHash(path, true, out _, out var hasMacro));
            Assert.True(hasMacro, $"offset {offset}");
        }
    }

    [Fact]
    public void TryHash_MissingFile_False()
    {
        using var tree = new DirectTree();

        Assert.False(FileHasher.TryHash(tree.Full("nope"), true, out _, out _));
    }
}
