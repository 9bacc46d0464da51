using SharpCache.Core.Direct;

namespace SharpCache.Core.Tests.Direct;

public sealed class ManifestMergerTests
{
    [Fact]
    public void Merge_IntoNothing_KeepsTheEntry()
    {
        var added = ManifestCodecTests.Sample(3, 2, "k1");

        var merged = ManifestMerger.Merge(null, added);

        ManifestCodecTests.AssertSame(added, merged);
    }

    [Fact]
    public void Merge_NewEntry_GoesFirstAndSharesTables()
    {
        var old = ManifestCodecTests.Sample(3, 2, "old");
        var added = ManifestCodecTests.Sample(4, 2, "new", seed: 2);

        var merged = ManifestMerger.Merge(old, added);

        Assert.Equal(["new", "old"], merged.Entries.Select(e => e.ResultKey));
        Assert.Equal(7, merged.Files.Length);

        // Same probe paths and directory stamps: shared records.
        Assert.Equal(2, merged.Probes.Length);
        Assert.Equal(merged.Paths.Distinct().Count(), merged.Paths.Length);
        ManifestCodecTests.AssertSame(merged, ManifestCodec.Decode(ManifestCodec.Encode(merged)));
    }

    [Fact]
    public void Merge_SameFilesAndProbes_OlderDuplicateDropped()
    {
        var old = ManifestCodecTests.Sample(3, 2, "old");
        var again = ManifestCodecTests.Sample(3, 2, "new");

        var merged = ManifestMerger.Merge(old, again);

        Assert.Equal(["new"], merged.Entries.Select(e => e.ResultKey));
    }

    [Fact]
    public void Merge_SameDigestNewerStamp_KeepsTheNewerStamp()
    {
        var old = ManifestCodecTests.Sample(1, 0, "old");
        var touched = old with { Files = [old.Files[0] with { Stamp = old.Files[0].Stamp with { MtimeNs = 99 } }], Entries = [old.Entries[0] with { ResultKey = "new" }] };
        var other = ManifestCodecTests.Sample(2, 0, "other", seed: 3);

        var merged = ManifestMerger.Merge(ManifestMerger.Merge(old, other), touched);

        Assert.Equal(["new", "other"], merged.Entries.Select(e => e.ResultKey));
        Assert.Equal(99, merged.Files[0].Stamp.MtimeNs);
    }

    [Fact]
    public void Merge_MoreThanMaxEntries_OldestDropped()
    {
        Manifest? manifest = null;
        for (var i = 0; i < Manifest.MaxEntries + 5; i++)
        {
            manifest = ManifestMerger.Merge(manifest, ManifestCodecTests.Sample(2, 1, $"k{i}", seed: i));
        }

        Assert.Equal(Manifest.MaxEntries, manifest!.Entries.Length);
        Assert.Equal($"k{Manifest.MaxEntries + 4}", manifest.Entries[0].ResultKey);
        Assert.Equal("k5", manifest.Entries[^1].ResultKey);
        Assert.Equal(Manifest.MaxEntries * 2, manifest.Files.Length);
    }

    [Fact]
    public void Merge_FileRecordLimit_DropsOldEntriesToStayUnder()
    {
        Manifest? manifest = null;
        for (var i = 0; i < 5; i++)
        {
            manifest = ManifestMerger.Merge(manifest, ManifestCodecTests.Sample(4000, 0, $"k{i}", seed: i));
        }

        Assert.Equal(["k4", "k3"], manifest!.Entries.Select(e => e.ResultKey));
        Assert.True(manifest.Files.Length <= Manifest.MaxFileRecords);
    }
}
