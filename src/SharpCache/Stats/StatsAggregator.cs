using SharpCache.Protocol;

namespace SharpCache.Stats;

/// <summary>
/// Folds <see cref="CompileRecord"/>s into sccache's counters. Thread-safe; the daemon holds one.
/// Mapping (as sccache counts the same events in <c>server.rs</c>): every record is a compile
/// request; hits, misses, failed compiles and preprocessor errors are "executed"; a failed
/// compile counts under <c>compile_fails</c> and not as a miss; a forced recache is also a miss.
/// </summary>
internal sealed class StatsAggregator
{
    private const string UnknownLanguage = "Unknown";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _hits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _hitsAdv = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _misses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _missesAdv = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _errorsAdv = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _notCached = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _distCompiles = new(StringComparer.Ordinal);
    private StatsSnapshot _scalars = StatsSnapshot.Empty;
    private long _localHits;
    private long _localMisses;
    private long _localHitNanos;

    public void Record(CompileRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var language = record.Language.Length > 0 ? record.Language : UnknownLanguage;
        var label = record.AdvancedLabel.Length > 0 ? record.AdvancedLabel : language;
        lock (_gate)
        {
            var s = _scalars with { CompileRequests = _scalars.CompileRequests + 1, DistErrors = _scalars.DistErrors + (record.DistError ? 1 : 0) };
            switch (record.Outcome)
            {
                case CompileOutcome.CacheHit:
                    s = s with
                    {
                        RequestsExecuted = s.RequestsExecuted + 1,
                        CacheReadHitNanos = s.CacheReadHitNanos + (record.ReadHitMicros * 1000),
                    };
                    Increment(_hits, _hitsAdv, language, label);
                    if (record.RemoteHit)
                    {
                        _localMisses++;
                    }
                    else
                    {
                        _localHits++;
                        _localHitNanos += record.ReadHitMicros * 1000;
                    }

                    break;
                case CompileOutcome.CacheMiss:
                    s = s with
                    {
                        RequestsExecuted = s.RequestsExecuted + 1,
                        Compilations = s.Compilations + 1,
                        CompilerNanos = s.CompilerNanos + (record.CompileMicros * 1000),
                    };
                    Increment(_misses, _missesAdv, language, label);
                    _localMisses++;
                    break;
                case CompileOutcome.CompileFailed:
                    s = s with
                    {
                        RequestsExecuted = s.RequestsExecuted + 1,
                        Compilations = s.Compilations + 1,
                        CompilerNanos = s.CompilerNanos + (record.CompileMicros * 1000),
                        CompileFails = s.CompileFails + 1,
                    };
                    break;
                case CompileOutcome.CacheError:
                    s = s with { RequestsExecuted = s.RequestsExecuted + 1 };
                    Increment(_errors, _errorsAdv, language, label);
                    break;
                case CompileOutcome.NotCacheable:
                    s = s with { RequestsNotCacheable = s.RequestsNotCacheable + 1 };
                    Add(_notCached, string.IsNullOrEmpty(record.NotCacheableReason) ? "unknown" : record.NotCacheableReason);
                    break;
                case CompileOutcome.NotCompile:
                    s = s with { RequestsNotCompile = s.RequestsNotCompile + 1 };
                    break;
                case CompileOutcome.UnsupportedCompiler:
                    s = s with { RequestsUnsupportedCompiler = s.RequestsUnsupportedCompiler + 1 };
                    break;
                default:
                    break;
            }

            if (record.CacheReadError)
            {
                s = s with { CacheReadErrors = s.CacheReadErrors + 1 };
            }

            if (record.ForcedRecache)
            {
                s = s with { ForcedRecaches = s.ForcedRecaches + 1 };
            }

            if (record.CacheWritten)
            {
                s = s with { CacheWrites = s.CacheWrites + 1, CacheWriteNanos = s.CacheWriteNanos + (record.WriteMicros * 1000) };
            }

            if (record.CacheWriteError)
            {
                s = s with { CacheWriteErrors = s.CacheWriteErrors + 1 };
            }

            _scalars = s;
        }
    }

    /// <summary>Zeroes every counter (<c>sccache -z</c>).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _scalars = StatsSnapshot.Empty;
            _localHits = 0;
            _localMisses = 0;
            _localHitNanos = 0;
            _hits.Clear();
            _distCompiles.Clear();
            _hitsAdv.Clear();
            _misses.Clear();
            _missesAdv.Clear();
            _errors.Clear();
            _errorsAdv.Clear();
            _notCached.Clear();
        }
    }

    /// <summary>The local disk level's share, as a multi-level chain shows it: hits served from disk, lookups that missed it.</summary>
    public (long Hits, long Misses, long HitNanos) LocalLevel()
    {
        lock (_gate)
        {
            return (_localHits, _localMisses, _localHitNanos);
        }
    }

    /// <summary>A compile ran on build server <paramref name="server"/> (whatever its exit code).</summary>
    public void RecordDistCompile(string server)
    {
        lock (_gate)
        {
            Add(_distCompiles, server);
        }
    }

    /// <summary>A compile meant for the cluster was compiled locally because the cluster failed.</summary>
    public void RecordDistError()
    {
        lock (_gate)
        {
            _scalars = _scalars with { DistErrors = _scalars.DistErrors + 1 };
        }
    }

    public StatsSnapshot Snapshot()
    {
        lock (_gate)
        {
            return _scalars with
            {
                CacheHits = Copy(_hits, _hitsAdv),
                CacheMisses = Copy(_misses, _missesAdv),
                CacheErrors = Copy(_errors, _errorsAdv),
                NotCached = new Dictionary<string, long>(_notCached, StringComparer.Ordinal),
                DistCompiles = new Dictionary<string, long>(_distCompiles, StringComparer.Ordinal),
            };
        }
    }

    private static LanguageCounts Copy(Dictionary<string, long> counts, Dictionary<string, long> adv) => new()
    {
        Counts = new Dictionary<string, long>(counts, StringComparer.Ordinal),
        AdvCounts = new Dictionary<string, long>(adv, StringComparer.Ordinal),
    };

    private static void Increment(Dictionary<string, long> counts, Dictionary<string, long> adv, string language, string label)
    {
        Add(counts, language);
        Add(adv, label);
    }

    private static void Add(Dictionary<string, long> counts, string key)
    {
        counts.TryGetValue(key, out var n);
        counts[key] = n + 1;
    }
}
