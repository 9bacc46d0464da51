using SharpCache.Protocol;
using SharpCache.Stats;

namespace SharpCache.Tests.Daemon;

public sealed class StatsAggregatorTests
{
    [Fact]
    public void Record_MapsOutcomesLikeSccache()
    {
        var stats = new StatsAggregator();
        stats.Record(new CompileRecord { Outcome = CompileOutcome.CacheMiss, Language = "C/C++", AdvancedLabel = "c [gcc]", CompileMicros = 1000, CacheWritten = true, WriteMicros = 10 });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.CacheHit, Language = "C/C++", AdvancedLabel = "c [gcc]", ReadHitMicros = 5 });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.CacheError, Language = "C/C++", AdvancedLabel = "c [gcc]" });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.CompileFailed, Language = "C/C++", CompileMicros = 7 });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.NotCacheable, NotCacheableReason = "-E" });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.NotCacheable, NotCacheableReason = "multiple input files" });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.NotCompile });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.UnsupportedCompiler });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.CacheMiss, Language = "C/C++", AdvancedLabel = "c++ [clang]", ForcedRecache = true, CacheReadError = true, CacheWriteError = true });

        var s = stats.Snapshot();
        Assert.Equal(9, s.CompileRequests);
        Assert.Equal(5, s.RequestsExecuted);
        Assert.Equal(2, s.RequestsNotCacheable);
        Assert.Equal(1, s.RequestsNotCompile);
        Assert.Equal(1, s.RequestsUnsupportedCompiler);
        Assert.Equal(1, s.CacheHits.Counts["C/C++"]);
        Assert.Equal(2, s.CacheMisses.Counts["C/C++"]);
        Assert.Equal(1, s.CacheMisses.AdvCounts["c++ [clang]"]);
        Assert.Equal(1, s.CacheErrors.AdvCounts["c [gcc]"]);
        Assert.Equal(1, s.CompileFails);
        Assert.Equal(3, s.Compilations);
        Assert.Equal(1_007_000, s.CompilerNanos);
        Assert.Equal(5_000, s.CacheReadHitNanos);
        Assert.Equal(1, s.CacheWrites);
        Assert.Equal(10_000, s.CacheWriteNanos);
        Assert.Equal(1, s.CacheWriteErrors);
        Assert.Equal(1, s.CacheReadErrors);
        Assert.Equal(1, s.ForcedRecaches);
        Assert.Equal(1, s.NotCached["-E"]);

        stats.Reset();
        var zero = stats.Snapshot();
        Assert.Equal(0, zero.CompileRequests);
        Assert.Empty(zero.CacheHits.Counts);
        Assert.Empty(zero.NotCached);
    }

    [Fact]
    public void Snapshot_IsACopy()
    {
        var stats = new StatsAggregator();
        var before = stats.Snapshot();
        stats.Record(new CompileRecord { Outcome = CompileOutcome.CacheHit, Language = "C/C++" });
        Assert.Empty(before.CacheHits.Counts);
        Assert.Equal(1, stats.Snapshot().CacheHits.Total);
    }
}
