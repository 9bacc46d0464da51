using System.Buffers;

namespace SharpCache.Protocol;

/// <summary>
/// Payload of <see cref="MessageType.Stats"/> and <see cref="MessageType.ShuttingDown"/>: the
/// scalar counters in <see cref="StatsSnapshot"/> declaration order, the count maps, then the
/// server fields. Decoding never throws.
/// </summary>
public static class ServerInfoCodec
{
    public static void Write(IBufferWriter<byte> output, ServerInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var s = info.Stats;
        PayloadWriter.WriteInt64(output, s.CompileRequests);
        PayloadWriter.WriteInt64(output, s.RequestsUnsupportedCompiler);
        PayloadWriter.WriteInt64(output, s.RequestsNotCompile);
        PayloadWriter.WriteInt64(output, s.RequestsNotCacheable);
        PayloadWriter.WriteInt64(output, s.RequestsExecuted);
        WriteLanguageCounts(output, s.CacheErrors);
        WriteLanguageCounts(output, s.CacheHits);
        WriteLanguageCounts(output, s.CacheMisses);
        PayloadWriter.WriteInt64(output, s.CacheTimeouts);
        PayloadWriter.WriteInt64(output, s.CacheReadErrors);
        PayloadWriter.WriteInt64(output, s.NonCacheableCompilations);
        PayloadWriter.WriteInt64(output, s.ForcedRecaches);
        PayloadWriter.WriteInt64(output, s.CacheWriteErrors);
        PayloadWriter.WriteInt64(output, s.CacheWrites);
        PayloadWriter.WriteInt64(output, s.CacheWriteNanos);
        PayloadWriter.WriteInt64(output, s.CacheReadHitNanos);
        PayloadWriter.WriteInt64(output, s.Compilations);
        PayloadWriter.WriteInt64(output, s.CompilerNanos);
        PayloadWriter.WriteInt64(output, s.CompileFails);
        PayloadWriter.WriteCounts(output, s.NotCached);
        PayloadWriter.WriteCounts(output, s.DistCompiles);
        PayloadWriter.WriteInt64(output, s.DistErrors);
        PayloadWriter.WriteString(output, info.CacheLocation);
        PayloadWriter.WriteNullableInt64(output, info.CacheSize);
        PayloadWriter.WriteNullableInt64(output, info.MaxCacheSize);
        PayloadWriter.WriteBool(output, info.UsePreprocessorCacheMode);
        PayloadWriter.WriteString(output, info.Version);
        PayloadWriter.WriteUInt32(output, (uint)info.Levels.Count);
        foreach (var level in info.Levels)
        {
            PayloadWriter.WriteString(output, level.Name);
            PayloadWriter.WriteString(output, level.Location);
            PayloadWriter.WriteBool(output, level.ReadOnly);
            PayloadWriter.WriteInt64(output, level.Hits);
            PayloadWriter.WriteInt64(output, level.Misses);
            PayloadWriter.WriteInt64(output, level.Errors);
            PayloadWriter.WriteInt64(output, level.Timeouts);
            PayloadWriter.WriteInt64(output, level.ShortCircuits);
            PayloadWriter.WriteInt64(output, level.Writes);
            PayloadWriter.WriteInt64(output, level.WriteErrors);
            PayloadWriter.WriteInt64(output, level.BackfillsTo);
            PayloadWriter.WriteInt64(output, level.BackfillsFrom);
            PayloadWriter.WriteInt64(output, level.HitNanos);
            PayloadWriter.WriteInt64(output, level.WriteNanos);
        }
    }

    private const int MaxLevels = 64;

    private static bool TryReadLevels(ref PayloadReader r, out List<CacheLevelInfo> levels)
    {
        levels = [];
        if (!r.TryReadUInt32(out var count) || count > MaxLevels)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!r.TryReadString(out var name)
                || !r.TryReadString(out var location)
                || !r.TryReadBool(out var readOnly)
                || !r.TryReadInt64(out var hits)
                || !r.TryReadInt64(out var misses)
                || !r.TryReadInt64(out var errors)
                || !r.TryReadInt64(out var timeouts)
                || !r.TryReadInt64(out var shortCircuits)
                || !r.TryReadInt64(out var writes)
                || !r.TryReadInt64(out var writeErrors)
                || !r.TryReadInt64(out var backfillsTo)
                || !r.TryReadInt64(out var backfillsFrom)
                || !r.TryReadInt64(out var hitNanos)
                || !r.TryReadInt64(out var writeNanos))
            {
                return false;
            }

            levels.Add(new CacheLevelInfo
            {
                Name = name,
                Location = location,
                ReadOnly = readOnly,
                Hits = hits,
                Misses = misses,
                Errors = errors,
                Timeouts = timeouts,
                ShortCircuits = shortCircuits,
                Writes = writes,
                WriteErrors = writeErrors,
                BackfillsTo = backfillsTo,
                BackfillsFrom = backfillsFrom,
                HitNanos = hitNanos,
                WriteNanos = writeNanos,
            });
        }

        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out ServerInfo? info)
    {
        info = null;
        var r = new PayloadReader(payload);
        if (!r.TryReadInt64(out var compileRequests)
            || !r.TryReadInt64(out var unsupported)
            || !r.TryReadInt64(out var notCompile)
            || !r.TryReadInt64(out var notCacheable)
            || !r.TryReadInt64(out var executed)
            || !TryReadLanguageCounts(ref r, out var errors)
            || !TryReadLanguageCounts(ref r, out var hits)
            || !TryReadLanguageCounts(ref r, out var misses)
            || !r.TryReadInt64(out var timeouts)
            || !r.TryReadInt64(out var readErrors)
            || !r.TryReadInt64(out var nonCacheableCompilations)
            || !r.TryReadInt64(out var forcedRecaches)
            || !r.TryReadInt64(out var writeErrors)
            || !r.TryReadInt64(out var writes)
            || !r.TryReadInt64(out var writeNanos)
            || !r.TryReadInt64(out var readHitNanos)
            || !r.TryReadInt64(out var compilations)
            || !r.TryReadInt64(out var compilerNanos)
            || !r.TryReadInt64(out var compileFails)
            || !r.TryReadCounts(out var notCached)
            || !r.TryReadCounts(out var distCompiles)
            || !r.TryReadInt64(out var distErrors)
            || !r.TryReadString(out var location)
            || !r.TryReadNullableInt64(out var size)
            || !r.TryReadNullableInt64(out var maxSize)
            || !r.TryReadBool(out var direct)
            || !r.TryReadString(out var version)
            || !TryReadLevels(ref r, out var levels)
            || r.Remaining != 0)
        {
            return false;
        }

        info = new ServerInfo
        {
            Stats = new StatsSnapshot
            {
                CompileRequests = compileRequests,
                RequestsUnsupportedCompiler = unsupported,
                RequestsNotCompile = notCompile,
                RequestsNotCacheable = notCacheable,
                RequestsExecuted = executed,
                CacheErrors = errors!,
                CacheHits = hits!,
                CacheMisses = misses!,
                CacheTimeouts = timeouts,
                CacheReadErrors = readErrors,
                NonCacheableCompilations = nonCacheableCompilations,
                ForcedRecaches = forcedRecaches,
                CacheWriteErrors = writeErrors,
                CacheWrites = writes,
                CacheWriteNanos = writeNanos,
                CacheReadHitNanos = readHitNanos,
                Compilations = compilations,
                CompilerNanos = compilerNanos,
                CompileFails = compileFails,
                NotCached = notCached,
                DistCompiles = distCompiles,
                DistErrors = distErrors,
            },
            CacheLocation = location,
            CacheSize = size,
            MaxCacheSize = maxSize,
            UsePreprocessorCacheMode = direct,
            Version = version,
            Levels = levels,
        };
        return true;
    }

    private static void WriteLanguageCounts(IBufferWriter<byte> output, LanguageCounts counts)
    {
        PayloadWriter.WriteCounts(output, counts.Counts);
        PayloadWriter.WriteCounts(output, counts.AdvCounts);
    }

    private static bool TryReadLanguageCounts(ref PayloadReader reader, out LanguageCounts? counts)
    {
        counts = null;
        if (!reader.TryReadCounts(out var basic) || !reader.TryReadCounts(out var advanced))
        {
            return false;
        }

        counts = new LanguageCounts { Counts = basic, AdvCounts = advanced };
        return true;
    }
}
