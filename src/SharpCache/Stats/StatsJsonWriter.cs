using System.Buffers;
using System.Text;
using System.Text.Json;
using SharpCache.Protocol;

namespace SharpCache.Stats;

/// <summary>
/// <c>--stats-format=json</c>: the exact shape of sccache's serde output of <c>ServerInfo</c>
/// (field names and order, durations as <c>{"secs":N,"nanos":N}</c>, null sizes), written
/// with <see cref="Utf8JsonWriter"/> so it stays reflection-free for NativeAOT.
/// </summary>
internal static class StatsJsonWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // sccache (serde_json) does not escape non-ASCII or '"' as \u0022; keep paths readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(ServerInfo info)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        Write(buffer, info);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(IBufferWriter<byte> output, ServerInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        using var w = new Utf8JsonWriter(output, WriterOptions);
        var s = info.Stats;
        w.WriteStartObject();
        w.WriteStartObject("stats");
        w.WriteNumber("compile_requests", s.CompileRequests);
        w.WriteNumber("requests_unsupported_compiler", s.RequestsUnsupportedCompiler);
        w.WriteNumber("requests_not_compile", s.RequestsNotCompile);
        w.WriteNumber("requests_not_cacheable", s.RequestsNotCacheable);
        w.WriteNumber("requests_executed", s.RequestsExecuted);
        WriteLanguageCounts(w, "cache_errors", s.CacheErrors);
        WriteLanguageCounts(w, "cache_hits", s.CacheHits);
        WriteLanguageCounts(w, "cache_misses", s.CacheMisses);
        w.WriteNumber("cache_timeouts", s.CacheTimeouts);
        w.WriteNumber("cache_read_errors", s.CacheReadErrors);
        w.WriteNumber("non_cacheable_compilations", s.NonCacheableCompilations);
        w.WriteNumber("forced_recaches", s.ForcedRecaches);
        w.WriteNumber("cache_write_errors", s.CacheWriteErrors);
        w.WriteNumber("cache_writes", s.CacheWrites);
        WriteDuration(w, "cache_write_duration", s.CacheWriteNanos);
        WriteDuration(w, "cache_read_hit_duration", s.CacheReadHitNanos);
        w.WriteNumber("compilations", s.Compilations);
        WriteDuration(w, "compiler_write_duration", s.CompilerNanos);
        w.WriteNumber("compile_fails", s.CompileFails);
        WriteCounts(w, "not_cached", s.NotCached);
        WriteCounts(w, "dist_compiles", s.DistCompiles);
        w.WriteNumber("dist_errors", s.DistErrors);
        w.WriteEndObject();
        w.WriteString("cache_location", info.CacheLocation);
        WriteNullable(w, "cache_size", info.CacheSize);
        WriteNullable(w, "max_cache_size", info.MaxCacheSize);
        w.WriteBoolean("use_preprocessor_cache_mode", info.UsePreprocessorCacheMode);
        w.WriteString("version", info.Version);
        if (info.Levels.Count > 0)
        {
            // SharpCache addition: the chain's per-level counters (sccache prints them as text only).
            w.WriteStartArray("cache_levels");
            foreach (var l in info.Levels)
            {
                w.WriteStartObject();
                w.WriteString("name", l.Name);
                w.WriteString("location", l.Location);
                w.WriteBoolean("read_only", l.ReadOnly);
                w.WriteNumber("hits", l.Hits);
                w.WriteNumber("misses", l.Misses);
                w.WriteNumber("errors", l.Errors);
                w.WriteNumber("timeouts", l.Timeouts);
                w.WriteNumber("short_circuits", l.ShortCircuits);
                w.WriteNumber("writes", l.Writes);
                w.WriteNumber("write_errors", l.WriteErrors);
                w.WriteNumber("backfills_to", l.BackfillsTo);
                w.WriteNumber("backfills_from", l.BackfillsFrom);
                WriteDuration(w, "hit_duration", l.HitNanos);
                WriteDuration(w, "write_duration", l.WriteNanos);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteLanguageCounts(Utf8JsonWriter w, string name, LanguageCounts counts)
    {
        w.WriteStartObject(name);
        WriteCounts(w, "counts", counts.Counts);
        WriteCounts(w, "adv_counts", counts.AdvCounts);
        w.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var pair in counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(pair.Key, pair.Value);
        }

        w.WriteEndObject();
    }

    private static void WriteDuration(Utf8JsonWriter w, string name, long nanos)
    {
        w.WriteStartObject(name);
        w.WriteNumber("secs", nanos / 1_000_000_000);
        w.WriteNumber("nanos", nanos % 1_000_000_000);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value.HasValue)
        {
            w.WriteNumber(name, value.Value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
