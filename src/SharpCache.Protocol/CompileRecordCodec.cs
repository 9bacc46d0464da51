using System.Buffers;

namespace SharpCache.Protocol;

/// <summary>
/// Payload of <see cref="MessageType.RecordCompile"/>: outcome (u8), language, advanced label,
/// nullable reason, a flags byte (read error, written, write error, forced recache, remote hit, dist error, stored by the
/// daemon) and three
/// i64 durations in microseconds, in that order.
/// </summary>
public static class CompileRecordCodec
{
    private const byte FlagReadError = 1;
    private const byte FlagWritten = 2;
    private const byte FlagWriteError = 4;
    private const byte FlagForcedRecache = 8;
    private const byte FlagRemoteHit = 16;
    private const byte FlagDistError = 32;
    private const byte FlagStoredByDaemon = 64;
    private const byte KnownFlags = FlagReadError | FlagWritten | FlagWriteError | FlagForcedRecache | FlagRemoteHit | FlagDistError | FlagStoredByDaemon;

    public static void Write(IBufferWriter<byte> output, CompileRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        PayloadWriter.WriteByte(output, (byte)record.Outcome);
        PayloadWriter.WriteString(output, record.Language);
        PayloadWriter.WriteString(output, record.AdvancedLabel);
        PayloadWriter.WriteNullableString(output, record.NotCacheableReason);
        var flags = (byte)((record.CacheReadError ? FlagReadError : 0)
            | (record.CacheWritten ? FlagWritten : 0)
            | (record.CacheWriteError ? FlagWriteError : 0)
            | (record.ForcedRecache ? FlagForcedRecache : 0)
            | (record.RemoteHit ? FlagRemoteHit : 0)
            | (record.DistError ? FlagDistError : 0)
            | (record.StoredByDaemon ? FlagStoredByDaemon : 0));
        PayloadWriter.WriteByte(output, flags);
        PayloadWriter.WriteInt64(output, record.CompileMicros);
        PayloadWriter.WriteInt64(output, record.ReadHitMicros);
        PayloadWriter.WriteInt64(output, record.WriteMicros);
    }

    /// <summary>Decodes a payload; false (and null) on anything malformed or with trailing bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out CompileRecord? record)
    {
        record = null;
        var reader = new PayloadReader(payload);
        if (!reader.TryReadByte(out var outcome)
            || !Enum.IsDefined((CompileOutcome)outcome)
            || !reader.TryReadString(out var language)
            || !reader.TryReadString(out var label)
            || !reader.TryReadNullableString(out var reason)
            || !reader.TryReadByte(out var flags)
            || (flags & ~KnownFlags) != 0
            || !reader.TryReadInt64(out var compileMicros)
            || !reader.TryReadInt64(out var readMicros)
            || !reader.TryReadInt64(out var writeMicros)
            || reader.Remaining != 0
            || compileMicros < 0
            || readMicros < 0
            || writeMicros < 0)
        {
            return false;
        }

        record = new CompileRecord
        {
            Outcome = (CompileOutcome)outcome,
            Language = language,
            AdvancedLabel = label,
            NotCacheableReason = reason,
            CacheReadError = (flags & FlagReadError) != 0,
            CacheWritten = (flags & FlagWritten) != 0,
            CacheWriteError = (flags & FlagWriteError) != 0,
            ForcedRecache = (flags & FlagForcedRecache) != 0,
            RemoteHit = (flags & FlagRemoteHit) != 0,
            DistError = (flags & FlagDistError) != 0,
            StoredByDaemon = (flags & FlagStoredByDaemon) != 0,
            CompileMicros = compileMicros,
            ReadHitMicros = readMicros,
            WriteMicros = writeMicros,
        };
        return true;
    }
}
