using System.Text.Json;

namespace SharpCache.IntegrationTests.Infrastructure;

/// <summary>
/// One parse of <c>sharpcache --show-stats --stats-format json</c> (sccache's <c>ServerInfo</c> shape).
/// Missing scalar counters fail loudly with the JSON in the message; missing per-language
/// entries read as 0 (sccache omits zero entries from its maps).
/// </summary>
public sealed class StatsSnapshot
{
    private readonly JsonElement _root;

    public StatsSnapshot(string json)
    {
        Json = json;
        using var doc = JsonDocument.Parse(json);
        _root = doc.RootElement.Clone();
    }

    public string Json { get; }

    public long CompileRequests => Counter("compile_requests");

    public long RequestsExecuted => Counter("requests_executed");

    public long RequestsNotCacheable => Counter("requests_not_cacheable");

    public long RequestsNotCompile => Counter("requests_not_compile");

    public long CompileFails => Counter("compile_fails");

    public long CacheWrites => Counter("cache_writes");

    public long CacheWriteErrors => Counter("cache_write_errors");

    public long CacheReadErrors => Counter("cache_read_errors");

    public long CacheHits => LanguageCount("cache_hits", "C/C++");

    public long CacheMisses => LanguageCount("cache_misses", "C/C++");

    public long? CacheSize => Top("cache_size") is { ValueKind: JsonValueKind.Number } e ? e.GetInt64() : null;

    public long? MaxCacheSize => Top("max_cache_size") is { ValueKind: JsonValueKind.Number } e ? e.GetInt64() : null;

    /// <summary><c>stats.not_cached</c>: reason → count.</summary>
    public IReadOnlyDictionary<string, long> NotCached
    {
        get
        {
            var result = new Dictionary<string, long>();
            if (Stats.TryGetProperty("not_cached", out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in map.EnumerateObject())
                {
                    result[p.Name] = p.Value.GetInt64();
                }
            }

            return result;
        }
    }

    private JsonElement Stats => _root.TryGetProperty("stats", out var s)
        ? s
        : throw new InvalidDataException("stats JSON has no \"stats\" object:\n" + Json);

    public long Counter(string name) =>
        Stats.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetInt64()
            : throw new InvalidDataException($"stats JSON has no numeric stats.{name}:\n{Json}");

    public long LanguageCount(string counter, string language)
    {
        if (!Stats.TryGetProperty(counter, out var v) || v.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"stats JSON has no object stats.{counter}:\n{Json}");
        }

        return v.TryGetProperty("counts", out var counts) && counts.TryGetProperty(language, out var n) ? n.GetInt64() : 0;
    }

    /// <summary>A counter of one cache level (<c>cache_levels[]</c>, SharpCache's addition), by level name; 0 when the level is absent.</summary>
    public long Level(string name, string counter)
    {
        if (Top("cache_levels") is not { ValueKind: JsonValueKind.Array } levels)
        {
            return 0;
        }

        foreach (var level in levels.EnumerateArray())
        {
            if (level.GetProperty("name").GetString() == name)
            {
                return level.GetProperty(counter).GetInt64();
            }
        }

        return 0;
    }

    /// <summary>Names of the cache levels, fastest first.</summary>
    public IReadOnlyList<string> LevelNames => Top("cache_levels") is { ValueKind: JsonValueKind.Array } levels
        ? [.. levels.EnumerateArray().Select(l => l.GetProperty("name").GetString() ?? "")]
        : [];

    private JsonElement? Top(string name) => _root.TryGetProperty(name, out var v) ? v : null;

    public override string ToString() => Json;
}
