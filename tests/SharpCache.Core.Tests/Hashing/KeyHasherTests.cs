using SharpCache.Core.Hashing;

namespace SharpCache.Core.Tests.Hashing;

public sealed class KeyHasherTests
{
    [Fact]
    public void FinishHex_SameFields_SameKey()
    {
        Assert.Equal(Hash(("a", "x"), ("b", "y")), Hash(("a", "x"), ("b", "y")));
    }

    [Fact]
    public void FinishHex_ShiftedFieldBoundary_DifferentKey()
    {
        Assert.NotEqual(Hash(("arg", "ab"), ("arg", "c")), Hash(("arg", "a"), ("arg", "bc")));
    }

    [Fact]
    public void FinishHex_DifferentTag_DifferentKey()
    {
        Assert.NotEqual(Hash(("arg", "x")), Hash(("env", "x")));
    }

    [Fact]
    public void FinishHex_LongString_Is64LowercaseHex()
    {
        var key = Hash(("arg", new string('x', 100_000)));
        Assert.Equal(64, key.Length);
        Assert.Matches("^[0-9a-f]{64}$", key);
    }

    [Fact]
    public void HashFile_KnownContent_MatchesBlake3Vector()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "BLAKE3");
            Assert.Equal("f890484173e516bfd935ef3d22b912dc9738de38743993cfedf2c9473b3216a4", KeyHasher.HashFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Hash(params (string Tag, string Value)[] fields)
    {
        using var hasher = new KeyHasher();
        foreach (var (tag, value) in fields)
        {
            hasher.Add(tag, value);
        }

        return hasher.FinishHex();
    }
}
