using SharpCache.IntegrationTests.Infrastructure;
using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// lua 5.4 built once with plain <c>gcc</c> (no cache, no cluster): the objects every dist build must
/// reproduce byte for byte. Shared by the tests of <see cref="DistBuildCollection"/>; deleted at the end.
/// </summary>
public sealed class LuaReference : IDisposable
{
    private readonly Lazy<string> _src;
    private readonly string _root = Directory.CreateTempSubdirectory("scdist-luaref-").FullName;

    public LuaReference() => _src = new Lazy<string>(Build);

    /// <summary>The reference <c>src</c> directory (built on first use).</summary>
    public string Src => _src.Value;

    /// <summary>How long the plain <c>make -j4</c> took (the yardstick for builds whose cluster is unreachable).</summary>
    public TimeSpan LocalBuildTime { get; private set; }

    /// <summary>Names of the reference objects (34 for lua 5.4).</summary>
    public IReadOnlyList<string> Objects => [.. Directory.GetFiles(Src, "*.o").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    /// <summary>Asserts that <paramref name="tree"/> (a lua <c>src</c> directory) holds exactly the reference objects.</summary>
    public void AssertSameObjects(string tree, string context)
    {
        var objects = Objects;
        Assert.Equal(objects, Directory.GetFiles(tree, "*.o").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal));
        foreach (var name in objects)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(Src, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(tree, name))),
                $"{name} differs from the local build\n{context}");
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Build()
    {
        var src = LuaSource.CopyTo(Path.Combine(_root, "lua"));
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH"),
            ["LC_ALL"] = "C",
        };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var r = ProcessRunner.Run("make", ["-C", src, "-j4", "linux", "CC=gcc"], src, env, null, TimeSpan.FromMinutes(3));
        LocalBuildTime = watch.Elapsed;
        Assert.True(r.ExitCode == 0, "reference lua build failed: " + r.Describe());
        Assert.Equal(34, Directory.GetFiles(src, "*.o").Length);
        return src;
    }
}
