using System.Text.Json;
using SharpCache.Protocol;
using SharpCache.Stats;

namespace SharpCache.Tests.Daemon;

public sealed class StatsOutputTests
{
    private static ServerInfo Sample()
    {
        var stats = new StatsAggregator();
        stats.Record(new CompileRecord { Outcome = CompileOutcome.CacheMiss, Language = "C/C++", AdvancedLabel = "c [gcc]", CompileMicros = 13_955, CacheWritten = true, WriteMicros = 245 });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.CacheHit, Language = "C/C++", AdvancedLabel = "c [gcc]", ReadHitMicros = 1 });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.NotCacheable, NotCacheableReason = "-E" });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.NotCacheable, NotCacheableReason = "-E" });
        stats.Record(new CompileRecord { Outcome = CompileOutcome.NotCacheable, NotCacheableReason = "multiple input files" });
        return new ServerInfo
        {
            Stats = stats.Snapshot(),
            CacheLocation = "Local disk: \"/tmp/xx\"",
            CacheSize = 474,
            MaxCacheSize = 10L << 30,
            UsePreprocessorCacheMode = true,
            Version = "0.1.0",
        };
    }

    [Fact]
    public void Json_HasSccacheShape()
    {
        using var doc = JsonDocument.Parse(StatsJsonWriter.ToJson(Sample()));
        var root = doc.RootElement;
        Assert.Equal(
            ["stats", "cache_location", "cache_size", "max_cache_size", "use_preprocessor_cache_mode", "version"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(
            [
                "compile_requests", "requests_unsupported_compiler", "requests_not_compile", "requests_not_cacheable",
                "requests_executed", "cache_errors", "cache_hits", "cache_misses", "cache_timeouts", "cache_read_errors",
                "non_cacheable_compilations", "forced_recaches", "cache_write_errors", "cache_writes",
                "cache_write_duration", "cache_read_hit_duration", "compilations", "compiler_write_duration",
                "compile_fails", "not_cached", "dist_compiles", "dist_errors",
            ],
            root.GetProperty("stats").EnumerateObject().Select(p => p.Name).ToArray());
        var stats = root.GetProperty("stats");
        Assert.Equal(5, stats.GetProperty("compile_requests").GetInt64());
        Assert.Equal(1, stats.GetProperty("cache_hits").GetProperty("counts").GetProperty("C/C++").GetInt64());
        Assert.Equal(1, stats.GetProperty("cache_hits").GetProperty("adv_counts").GetProperty("c [gcc]").GetInt64());
        Assert.Equal(2, stats.GetProperty("not_cached").GetProperty("-E").GetInt64());
        Assert.Equal(0, stats.GetProperty("compiler_write_duration").GetProperty("secs").GetInt64());
        Assert.Equal(13_955_000, stats.GetProperty("compiler_write_duration").GetProperty("nanos").GetInt64());
        Assert.Equal("Local disk: \"/tmp/xx\"", root.GetProperty("cache_location").GetString());
        Assert.Equal(474, root.GetProperty("cache_size").GetInt64());
        Assert.Equal(10737418240, root.GetProperty("max_cache_size").GetInt64());
        Assert.Equal("0.1.0", root.GetProperty("version").GetString());
    }

    [Fact]
    public void Json_NullSizes_AreNull()
    {
        var json = StatsJsonWriter.ToJson(new ServerInfo { Stats = StatsSnapshot.Empty });
        Assert.Contains("\"cache_size\":null,\"max_cache_size\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"cache_hits\":{\"counts\":{},\"adv_counts\":{}}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_IsAlignedLikeSccache()
    {
        var lines = StatsTextFormatter.Format(Sample(), advanced: false).Split('\n');
        // Names padded to "Failed distributed compilations" (31); values to the widest (7), suffixed ones to 9.
        Assert.Contains("Compile requests                      5", lines);
        Assert.Contains("Cache hits (C/C++)                    1", lines);
        Assert.Contains("Cache hits rate                   50.00 %", lines);
        Assert.Contains("Cache hits rate (C/C++)           50.00 %", lines);
        Assert.Contains("Average compiler                  0.013 s", lines);
        Assert.Contains("Non-cacheable reasons:", lines);
        Assert.Contains("-E                                    2", lines);
        Assert.Contains("Cache location                  Local disk: \"/tmp/xx\"", lines);
        Assert.Contains("Use direct/preprocessor mode?   yes", lines);
        Assert.Contains("Cache size                          474 bytes", lines);
        Assert.Contains("Max cache size                       10 GiB", lines);
        var reasons = Array.IndexOf(lines, "Non-cacheable reasons:");
        Assert.Equal("-E                                    2", lines[reasons + 1]);
        Assert.Equal("multiple input files                  1", lines[reasons + 2]);
    }

    [Fact]
    public void Text_Advanced_UsesCompilerLabels()
    {
        var text = StatsTextFormatter.Format(Sample(), advanced: true);
        Assert.Contains("Cache hits (c [gcc])", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Cache hits (C/C++)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0", "bytes")]
    [InlineData(1023, "1023", "bytes")]
    [InlineData(1024, "1", "KiB")]
    [InlineData(10L << 30, "10", "GiB")]
    [InlineData(3L << 19, "2", "MiB")]
    public void FormatSize_UsesBinaryPrefixes(long bytes, string value, string unit) =>
        Assert.Equal((value, unit), StatsTextFormatter.FormatSize(bytes));
}
