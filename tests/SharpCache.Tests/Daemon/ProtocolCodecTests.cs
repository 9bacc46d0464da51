using System.Buffers;
using SharpCache.Protocol;

namespace SharpCache.Tests.Daemon;

public sealed class ProtocolCodecTests
{
    private static readonly CompileRecord Full = new()
    {
        Outcome = CompileOutcome.CacheMiss,
        Language = "C/C++",
        AdvancedLabel = "c++ [clang]",
        NotCacheableReason = "héllo",
        CacheReadError = true,
        CacheWritten = true,
        ForcedRecache = true,
        CompileMicros = 123,
        ReadHitMicros = 4,
        WriteMicros = 56,
    };

    [Fact]
    public void CompileRecord_RoundTrips()
    {
        var bytes = Encode(w => CompileRecordCodec.Write(w, Full));
        Assert.True(CompileRecordCodec.TryRead(bytes, out var decoded));
        Assert.Equal(Full, decoded);

        var flagged = Full with { RemoteHit = true, DistError = true, StoredByDaemon = true, CacheWriteError = true };
        Assert.True(CompileRecordCodec.TryRead(Encode(w => CompileRecordCodec.Write(w, flagged)), out var back));
        Assert.Equal(flagged, back);
    }

    [Fact]
    public void CompileRecord_EveryTruncation_Fails()
    {
        var bytes = Encode(w => CompileRecordCodec.Write(w, Full));
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.False(CompileRecordCodec.TryRead(bytes.AsSpan(0, i), out var decoded));
            Assert.Null(decoded);
        }

        Assert.False(CompileRecordCodec.TryRead([.. bytes, 0], out _));
    }

    [Fact]
    public void Decoders_RandomGarbage_NeverThrow()
    {
        var random = new Random(42);
        for (var i = 0; i < 5000; i++)
        {
            var garbage = new byte[random.Next(0, 200)];
            random.NextBytes(garbage);
            _ = CompileRecordCodec.TryRead(garbage, out _);
            _ = ServerInfoCodec.TryRead(garbage, out _);
            _ = FrameCodec.TryReadBody(garbage, out _, out _, out _);
            _ = FrameCodec.ReadLength(garbage, 1024, out _);
        }
    }

    [Fact]
    public void ServerInfo_RoundTrips()
    {
        var info = new ServerInfo
        {
            Stats = new StatsSnapshot
            {
                CompileRequests = 7,
                CacheHits = new LanguageCounts
                {
                    Counts = new Dictionary<string, long> { ["C/C++"] = 3 },
                    AdvCounts = new Dictionary<string, long> { ["c [gcc]"] = 3 },
                },
                NotCached = new Dictionary<string, long> { ["-E"] = 2 },
                CompilerNanos = 99,
                DistErrors = 1,
            },
            CacheLocation = "Local disk: \"/x\"",
            CacheSize = null,
            MaxCacheSize = 10,
            UsePreprocessorCacheMode = true,
            Version = "0.1.0",
        };
        var bytes = Encode(w => ServerInfoCodec.Write(w, info));
        Assert.True(ServerInfoCodec.TryRead(bytes, out var decoded));
        Assert.Equal(7, decoded!.Stats.CompileRequests);
        Assert.Equal(3, decoded.Stats.CacheHits.AdvCounts["c [gcc]"]);
        Assert.Equal(2, decoded.Stats.NotCached["-E"]);
        Assert.Equal(99, decoded.Stats.CompilerNanos);
        Assert.Null(decoded.CacheSize);
        Assert.Equal(10, decoded.MaxCacheSize);
        Assert.True(decoded.UsePreprocessorCacheMode);
        Assert.Equal(info.CacheLocation, decoded.CacheLocation);
        Assert.False(ServerInfoCodec.TryRead(bytes.AsSpan(0, bytes.Length - 1), out _));
    }

    [Fact]
    public void Frame_LengthAndBody_AreChecked()
    {
        var frame = Encode(w => FrameCodec.WriteFrame(w, MessageType.Ping, [1, 2]));
        Assert.Equal([0, 0, 0, 4, FrameFormat.Version, (byte)MessageType.Ping, 1, 2], frame);
        Assert.Equal(FrameLengthStatus.Ok, FrameCodec.ReadLength(frame, 4, out var length));
        Assert.Equal(4, length);
        Assert.Equal(FrameLengthStatus.TooLarge, FrameCodec.ReadLength(frame, 3, out _));
        Assert.Equal(FrameLengthStatus.TooShort, FrameCodec.ReadLength([0, 0, 0, 1], 10, out _));
        Assert.True(FrameCodec.TryReadBody(frame.AsSpan(4), out _, out var type, out var payload));
        Assert.Equal(MessageType.Ping, type);
        Assert.Equal([1, 2], payload.ToArray());
        const byte Other = FrameFormat.Version + 1;
        Assert.False(FrameCodec.TryReadBody([Other, (byte)MessageType.Ping], out var version, out _, out _));
        Assert.Equal(Other, version);
    }

    [Fact]
    public void Counts_HostileCount_FailsWithoutAllocating()
    {
        var reader = new PayloadReader([0xff, 0xff, 0xff, 0xff]);
        Assert.False(reader.TryReadCounts(out _));
    }

    private static byte[] Encode(Action<ArrayBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }
}
