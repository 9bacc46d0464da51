using System.Text;
using SharpCache.Client;

namespace SharpCache.Tests.Client;

public sealed class PreprocessedTextHasherTests
{
    private static string Text(string basedir, string fileMacro = "\"x.c\"") => $$"""
        # 0 "{{basedir}}/src/x.c"
        # 0 "<built-in>"
        # 1 "{{basedir}}/src/x.c"
        # 1 "{{basedir}}/include/x.h" 1
        # 1 "/usr/include/stdio.h" 1 3 4
        int printf(const char *, ...);
        # 2 "{{basedir}}/src/x.c" 2
        #line 7 "{{basedir}}/src/x.c"
        const char *where = {{fileMacro}};
        int f(void) { return 17; }

        """;

    private static (string Digest, bool Outside) Hash(BasedirMapper mapper, string text, int chunk = int.MaxValue)
    {
        using var hasher = new PreprocessedTextHasher(mapper);
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            hasher.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
        }

        return (hasher.Finish(), hasher.BasedirOutsideLinemarkers);
    }

    private static BasedirMapper MapperFor(string basedir) => BasedirMapper.For([basedir], basedir);

    [Fact]
    public void LinemarkersOfTwoCheckoutsHashAlike()
    {
        var a = Hash(MapperFor("/src/a"), Text("/src/a"));
        var b = Hash(MapperFor("/src/bb"), Text("/src/bb"));
        Assert.Equal(a.Digest, b.Digest);
        Assert.False(a.Outside);
        Assert.False(b.Outside);
    }

    [Fact]
    public void WithoutAMapperTheCheckoutsDiffer() =>
        Assert.NotEqual(Hash(BasedirMapper.Inactive, Text("/src/a")).Digest, Hash(BasedirMapper.Inactive, Text("/src/bb")).Digest);

    [Fact]
    public void BasedirOutsideLinemarkersIsNotNormalisedAndIsReported()
    {
        var a = Hash(MapperFor("/src/a"), Text("/src/a", "\"/src/a/src/x.c\""));
        var b = Hash(MapperFor("/src/bb"), Text("/src/bb", "\"/src/bb/src/x.c\""));
        Assert.NotEqual(a.Digest, b.Digest);
        Assert.True(a.Outside);
        Assert.True(b.Outside);
    }

    [Fact]
    public void TextWithoutTheBasedirHashesAsWithoutAMapper()
    {
        var text = Text("/elsewhere");
        Assert.Equal(Hash(BasedirMapper.Inactive, text).Digest, Hash(MapperFor("/src/a"), text).Digest);
    }

    [Fact]
    public void BasedirNotAtTheStartOfTheLinemarkerPathIsKept()
    {
        var a = Hash(MapperFor("/src/a"), "# 1 \"/x/src/a/y.h\" 1\nint y;\n");
        var b = Hash(MapperFor("/src/bb"), "# 1 \"/x/src/bb/y.h\" 1\nint y;\n");
        Assert.NotEqual(a.Digest, b.Digest);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChunkingDoesNotChangeTheDigest(bool active)
    {
        var mapper = active ? MapperFor("/src/a") : BasedirMapper.Inactive;
        var text = Text("/src/a", "\"/src/a/src/x.c\"") + "no final newline " + new string('z', 5000) + " /src/a/q";
        var whole = Hash(mapper, text);
        foreach (var chunk in new[] { 1, 2, 3, 7, 13, 64, 4095, 4096, 4097 })
        {
            Assert.Equal(whole, Hash(mapper, text, chunk));
        }
    }

    [Fact]
    public void EverySplitPointGivesTheSameDigest()
    {
        var mapper = MapperFor("/src/a");
        var bytes = Encoding.UTF8.GetBytes(Text("/src/a"));
        var expected = Hash(mapper, Text("/src/a")).Digest;
        for (var split = 0; split <= bytes.Length; split++)
        {
            using var hasher = new PreprocessedTextHasher(mapper);
            hasher.Feed(bytes.AsSpan(0, split));
            hasher.Feed(bytes.AsSpan(split));
            Assert.Equal(expected, hasher.Finish());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(131_071)]
    [InlineData(131_072)]
    [InlineData(300_001)]
    [InlineData(int.MaxValue)]
    public void TextOverManyBlocks_AnyChunking_IsTheBlake3OfTheWholeText(int chunk)
    {
        // Larger than the hasher's block (128 KiB) several times over, and not a multiple of it.
        var text = new StringBuilder();
        for (var i = 0; text.Length < 700_000; i++)
        {
            text.Append("int f").Append(i).Append("(void) { return ").Append(i % 97).Append("; }\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        using var whole = Blake3.Hasher.New();
        whole.Update(bytes);
        var expected = Convert.ToHexStringLower(whole.Finalize().AsSpan());
        Assert.Equal(expected, Hash(BasedirMapper.Inactive, text.ToString(), chunk).Digest);
    }
}
