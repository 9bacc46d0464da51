using SharpCache.Core.Direct;

namespace SharpCache.Core.Tests.Direct;

public sealed class ManifestMatcherTests
{
    private static readonly string[] SearchPath = ["inc1", "inc2", "sys"];

    [Fact]
    public void Match_NothingChanged_HitsWithoutHashing()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");

        var hit = Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root));

        Assert.Equal("key-1", hit.ResultKey);
        Assert.Equal(0, hit.HashedFiles);
    }

    [Fact]
    public void Match_ContentChangedWithSameSizeAndRestoredMtime_Misses()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");
        var path = tree.Full("inc2/b.h");
        var mtime = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "#define B 9\n");
        File.SetLastWriteTimeUtc(path, mtime);

        var miss = Assert.IsType<ManifestMatch.Miss>(ManifestMatcher.Match(manifest, tree.Root));

        Assert.Equal(ManifestMismatch.IncludeChanged, miss.Reason);
        Assert.Equal("inc2/b.h", miss.Path);
        Assert.Equal("include file changed: inc2/b.h", miss.ToString());
    }

    [Fact]
    public void Match_TouchedButUnchanged_HitsAfterRehashing()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");
        File.SetLastWriteTimeUtc(tree.Full("inc2/b.h"), DateTime.UtcNow.AddMinutes(-5));

        var hit = Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root));

        Assert.Equal(1, hit.HashedFiles);
    }

    [Fact]
    public void Match_TouchedHeader_HashedOnceForAllLookups_ThroughTheHeaderHashCache()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");
        File.SetLastWriteTimeUtc(tree.Full("inc2/b.h"), DateTime.UtcNow.AddMinutes(-5));
        var opened = 0;
        HeaderHashCache? Open()
        {
            opened++;
            return HeaderHashCache.TryOpen(tree.Full("hashes"), 10L << 30);
        }

        // As if the touch were over 2 s old: the first lookup hashes b.h and records its digest, later ones (other units
        // including b.h, their manifests not refreshed) find it.
        var later = DateTime.UtcNow.AddSeconds(10);
        Assert.Equal(1, Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root, Open, later)).HashedFiles);
        Assert.Equal(0, Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root, Open, later)).HashedFiles);
        Assert.Equal(2, opened);

        // Nothing to hash, nothing opened.
        Assert.Equal(0, Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(Record(tree, "key-2"), tree.Root, Open, later)).HashedFiles);
        Assert.Equal(2, opened);

        // Rewritten with its size and mtime kept: ctime moved, the cached digest is not used.
        var path = tree.Full("inc2/b.h");
        var mtime = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "#define B 9\n");
        File.SetLastWriteTimeUtc(path, mtime);
        var miss = Assert.IsType<ManifestMatch.Miss>(ManifestMatcher.Match(manifest, tree.Root, Open, DateTime.UtcNow.AddSeconds(20)));
        Assert.Equal(ManifestMismatch.IncludeChanged, miss.Reason);
    }

    [Fact]
    public void Match_TouchedLongEnoughAgo_RefreshedManifestHitsWithoutHashing()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");
        File.SetLastWriteTimeUtc(tree.Full("inc2/b.h"), DateTime.UtcNow.AddMinutes(-5));

        // The touch moved ctime to now; a stamp is adopted only once it has settled.
        Thread.Sleep(2100);
        var hit = Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root));
        Assert.Equal(1, hit.HashedFiles);
        Assert.NotNull(hit.Refreshed);

        var again = Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(hit.Refreshed, tree.Root));
        Assert.Equal(0, again.HashedFiles);
        Assert.Null(again.Refreshed);
    }

    [Fact]
    public void Match_JustTouched_NotRefreshed()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");
        File.SetLastWriteTimeUtc(tree.Full("inc2/b.h"), DateTime.UtcNow.AddMinutes(-5));

        var hit = Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root));

        Assert.Equal(1, hit.HashedFiles);
        Assert.Null(hit.Refreshed);
    }

    [Fact]
    public void Match_ChangedThenRefreshed_StillMissesOnTheNextChange()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");
        File.SetLastWriteTimeUtc(tree.Full("inc2/b.h"), DateTime.UtcNow.AddMinutes(-5));
        Thread.Sleep(2100);
        var refreshed = Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root)).Refreshed!;

        File.WriteAllText(tree.Full("inc2/b.h"), "#define B 7\n");

        Assert.Equal(ManifestMismatch.IncludeChanged, Assert.IsType<ManifestMatch.Miss>(ManifestMatcher.Match(refreshed, tree.Root)).Reason);
    }

    [Fact]
    public void Match_IncludeDeleted_MissesWithMissingReason()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");
        File.Delete(tree.Full("src/local.h"));

        var miss = Assert.IsType<ManifestMatch.Miss>(ManifestMatcher.Match(manifest, tree.Root));

        Assert.Equal(ManifestMismatch.IncludeMissing, miss.Reason);
        Assert.Equal("src/local.h", miss.Path);
    }

    [Fact]
    public void Match_NewHeaderInEarlierSearchDirectory_Misses()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");
        tree.Write("inc1/b.h", "#define B 100\n");

        var miss = Assert.IsType<ManifestMatch.Miss>(ManifestMatcher.Match(manifest, tree.Root));

        Assert.Equal(ManifestMismatch.NewFileShadowsInclude, miss.Reason);
        Assert.Equal("inc1/b.h", miss.Path);
    }

    [Fact]
    public void Match_NewHeaderInSubdirectoryOfEarlierDirectory_Misses()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");
        tree.Write("inc1/sub/c.h", "#define C 100\n");

        var miss = Assert.IsType<ManifestMatch.Miss>(ManifestMatcher.Match(manifest, tree.Root));

        Assert.Equal(ManifestMismatch.NewFileShadowsInclude, miss.Reason);
        Assert.Equal("inc1/sub/c.h", miss.Path);
    }

    [Fact]
    public void Match_NewHeaderInLaterDirectoryOrUnrelatedFile_StillHits()
    {
        using var tree = NewTree();
        var manifest = Record(tree, "key-1");
        tree.Write("sys/b.h", "#define B 100\n");
        tree.Write("inc1/unrelated.h", "\n");

        Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root));
    }

    [Fact]
    public void Build_IncludeNextChain_EarlierExistingFileIsNotAProbe()
    {
        using var tree = NewTree();

        // inc1/n.h does #include_next <n.h>, which finds inc2/n.h: inc1/n.h exists, so it is a
        // recorded include and not a negative probe, and the entry matches.
        tree.Write("inc1/n.h", "#include_next <n.h>\n");
        tree.Write("inc2/n.h", "#define N 1\n");
        tree.Write("src/main.c", "#include <n.h>\nint main(void){return N;}\n");
        var manifest = Record(tree, "key-1", ["src/main.c", "inc1/n.h", "inc2/n.h"]);

        Assert.DoesNotContain(manifest.Probes, p => manifest.Paths[p.PathIndex] == "inc1/n.h");
        Assert.Contains(manifest.Probes, p => manifest.Paths[p.PathIndex] == "src/n.h");
        Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root));
    }

    [Fact]
    public void Match_SeveralEntries_FirstMatchingOneWins()
    {
        using var tree = NewTree();
        var first = Record(tree, "key-old");
        tree.Write("inc2/b.h", "#define B 42\n");
        var second = Record(tree, "key-new");
        var merged = ManifestMerger.Merge(first, second);

        Assert.Equal("key-new", Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(merged, tree.Root)).ResultKey);

        tree.Write("inc2/b.h", "#define B 3\n");
        var hit = Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(merged, tree.Root));
        Assert.Equal("key-old", hit.ResultKey);
        Assert.Equal(1, hit.EntryIndex);

        tree.Write("inc2/b.h", "#define B 7\n");
        var miss = Assert.IsType<ManifestMatch.Miss>(ManifestMatcher.Match(merged, tree.Root));
        Assert.Equal(ManifestMismatch.IncludeChanged, miss.Reason);
    }

    [Fact]
    public void Match_EmptyManifest_MissesWithNoEntries()
    {
        var miss = Assert.IsType<ManifestMatch.Miss>(ManifestMatcher.Match(Manifest.Empty, "/"));

        Assert.Equal(ManifestMismatch.NoEntries, miss.Reason);
    }

    [Fact]
    public void Match_AfterCodecRoundTrip_StillHits()
    {
        using var tree = NewTree();
        var manifest = ManifestCodec.Decode(ManifestCodec.Encode(Record(tree, "key-1")));

        Assert.NotNull(manifest);
        Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root));
    }

    [Fact]
    public void Match_WithRealGccOutput_HitsThenMissesOnShadowingHeader()
    {
        using var tree = NewTree();
        var (exitCode, output, stderr) = tree.Run("gcc", "-E", "-v", "-I", "inc1", "-I", "inc2", "-isystem", "sys", "src/main.c");
        Assert.True(exitCode == 0, stderr);
        var parser = new LinemarkerParser();
        parser.Feed(output);
        parser.Complete();
        var searchPath = IncludeSearchPath.Parse(stderr);

        var result = ManifestEntryBuilder.Build(parser.Files, searchPath, "src/main.c", tree.Root, DirectTree.FutureStart, "key-gcc");
        var manifest = Assert.IsType<ManifestEntryBuildResult.Recorded>(result).Manifest;

        Assert.DoesNotContain("src/main.c", manifest.Paths.Where((_, i) => manifest.Files.Any(f => f.PathIndex == i)));
        Assert.Contains("/usr/include/stdc-predef.h", manifest.Paths);
        Assert.IsType<ManifestMatch.Hit>(ManifestMatcher.Match(manifest, tree.Root));
        tree.Write("src/b.h", "#define B 5\n");
        Assert.IsType<ManifestMatch.Miss>(ManifestMatcher.Match(manifest, tree.Root));
    }

    /// <summary>src/main.c includes "local.h" (src/), &lt;a.h&gt; (inc2/) and &lt;b.h&gt; (inc2/); a.h includes "sub/c.h" (inc2/sub/).</summary>
    private static DirectTree NewTree()
    {
        var tree = new DirectTree();
        tree.Write("src/main.c", "#include \"local.h\"\n#include <a.h>\n#include <b.h>\nint main(void){return L+A+B+C;}\n");
        tree.Write("src/local.h", "#define L 1\n");
        tree.Write("inc2/a.h", "#include <sub/c.h>\n#define A 2\n");
        tree.Write("inc2/b.h", "#define B 3\n");
        tree.Write("inc2/sub/c.h", "#define C 4\n");
        Directory.CreateDirectory(tree.Full("inc1"));
        Directory.CreateDirectory(tree.Full("sys"));
        return tree;
    }

    private static Manifest Record(DirectTree tree, string key, string[]? files = null)
    {
        files ??= ["src/main.c", "src/local.h", "inc2/a.h", "inc2/sub/c.h", "inc2/b.h"];
        var result = ManifestEntryBuilder.Build(files, SearchPath, "src/main.c", tree.Root, DirectTree.FutureStart, key);
        return Assert.IsType<ManifestEntryBuildResult.Recorded>(result).Manifest;
    }
}
