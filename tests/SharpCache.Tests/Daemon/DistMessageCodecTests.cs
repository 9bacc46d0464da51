using System.Buffers;
using SharpCache.Protocol;

namespace SharpCache.Tests.Daemon;

public sealed class DistMessageCodecTests
{
    private static readonly DistCompileRequest Request = new()
    {
        CompilerPath = "/usr/bin/x86_64-linux-gnu-gcc-12",
        InvokedAs = "gcc",
        WorkingDirectory = "/src/lua/src",
        Arguments = ["-x", "cpp-output", "-c", "-O2", "-Wall", "/src/lua/src/lapi.c.sharpcache-dist.i", "-o", "/src/lua/src/lapi.o", "héllo ✓", ""],
        Environment = [new("LANG", "C.UTF-8"), new("GCC_COLORS", ""), new("TERM", "xterm")],
        Inputs = [new("/src/lua/src/lapi.c.sharpcache-dist.i", new byte[] { 1, 2, 3, 0, 255 }), new("/src/lua/src/lapi.c", Array.Empty<byte>()), new("/p/x.gcda", new byte[70_000])],
        Outputs = ["/src/lua/src/lapi.o", "/src/lua/src/lapi.dwo"],
        RequiredOutputs = ["/src/lua/src/lapi.o"],
    };

    private static readonly DistCompileResult Result = new()
    {
        Status = DistCompileStatus.Completed,
        Server = "127.0.0.1:10500",
        Reason = null,
        ExitCode = -3,
        Stdout = [(byte)'o', (byte)'k'],
        Stderr = "x.c:1:1: error: expected ';'\n"u8.ToArray(),
        Outputs = [new("/src/lua/src/lapi.o", [0x7f, (byte)'E', (byte)'L', (byte)'F']), new("/src/lua/src/empty", [])],
    };

    [Fact]
    public void Request_RoundTrips()
    {
        var bytes = Encode(w => DistMessageCodec.WriteRequest(w, Request));

        Assert.True(DistMessageCodec.TryReadRequest(bytes, out var back));
        AssertSame(Request, back!);
    }

    [Fact]
    public void Request_IncludeRewritten_RoundTrips_AnyOtherFlagByteRejected()
    {
        var bytes = Encode(w => DistMessageCodec.WriteRequest(w, Request with { RetryLocallyOnError = true }));

        Assert.True(DistMessageCodec.TryReadRequest(bytes, out var back));
        Assert.True(back!.RetryLocallyOnError);
        bytes[^1] = 2;
        Assert.False(DistMessageCodec.TryReadRequest(bytes, out _));
    }

    [Fact]
    public void DistFrame_TextStreamedInPlace_IsTheFrameOfTheWholeRequest()
    {
        // The client's frame: head, the first input streamed in pieces (growing its buffer past 4 MiB), the rest, the tail.
        var text = new byte[9_000_001];
        new Random(7).NextBytes(text);
        var request = Request with { Inputs = [new(Request.Inputs[0].Key, text), .. Request.Inputs.Skip(1)] };
        using var frame = new SharpCache.Client.DistFrame(request with { Inputs = [] }, request.Inputs.Count, request.Inputs[0].Key);
        for (var i = 0; i < text.Length; i += 65_521)
        {
            frame.AppendText(text.AsSpan(i, Math.Min(65_521, text.Length - i)));
        }

        frame.EndText();
        Assert.True(frame.Text.SequenceEqual(text));
        foreach (var (path, content) in request.Inputs.Skip(1))
        {
            DistMessageCodec.WriteFile(frame, path, content.Span);
        }

        var expected = new ArrayBufferWriter<byte>();
        FrameCodec.WriteFrame(expected, MessageType.DistCompile, Encode(w => DistMessageCodec.WriteRequest(w, request)));
        Assert.True(frame.Finish().SequenceEqual(expected.WrittenSpan));
    }

    [Fact]
    public void DistFrame_MemoryWritesLandInTheText_AndADisposedFrameRefusesUse()
    {
        // The buffer is native memory: writes through GetMemory go into it, and a disposed frame throws instead of touching freed memory.
        var frame = new SharpCache.Client.DistFrame(Request with { Inputs = [] }, 1, Request.Inputs[0].Key);
        var memory = frame.GetMemory(3);
        "abc"u8.CopyTo(memory.Span);
        frame.Advance(3);
        frame.EndText();
        Assert.True(frame.Text.SequenceEqual("abc"u8));
        frame.Dispose();
        frame.Dispose();
        Assert.Throws<ObjectDisposedException>(() => frame.GetSpan(1).Length);
        Assert.Throws<ObjectDisposedException>(() => frame.Text.Length);
    }

    [Fact]
    public void DistFrame_TextSentAhead_PiecesAndTheRestFrameAreTheWholeRequest()
    {
        var text = new byte[1_700_003];
        new Random(9).NextBytes(text);
        var request = Request with { Inputs = [new(Request.Inputs[0].Key, text), .. Request.Inputs.Skip(1)], Store = Store };
        using var frame = new SharpCache.Client.DistFrame(request with { Inputs = [], Store = null }, request.Inputs.Count, request.Inputs[0].Key);
        var pieces = new List<byte>();
        frame.StreamTo(piece =>
        {
            pieces.AddRange(piece.ToArray());
            return true;
        });
        for (var i = 0; i < text.Length; i += 4096)
        {
            frame.AppendText(text.AsSpan(i, Math.Min(4096, text.Length - i)));
        }

        frame.EndText();
        foreach (var (path, content) in request.Inputs.Skip(1))
        {
            DistMessageCodec.WriteFile(frame, path, content.Span);
        }

        var whole = frame.Finish(Store).ToArray();

        // The whole frame is unchanged (a new connection gets it); the session's frame has the rest of the text only.
        var expected = new ArrayBufferWriter<byte>();
        FrameCodec.WriteFrame(expected, MessageType.DistCompile, Encode(w => DistMessageCodec.WriteRequest(w, request)));
        Assert.True(whole.AsSpan().SequenceEqual(expected.WrittenSpan));
        Assert.Equal(pieces.Count, frame.StreamedLength);
        Assert.InRange(pieces.Count, text.Length - SharpCache.Client.DistFrame.StreamPiece - 4096, text.Length - 1);

        var session = frame.SessionFrame.ToArray();
        Assert.Equal(FrameLengthStatus.Ok, FrameCodec.ReadLength(session, int.MaxValue, out var length));
        Assert.Equal(session.Length - FrameFormat.PrefixLength, length);
        Assert.True(FrameCodec.TryReadBody(session.AsSpan(FrameFormat.PrefixLength), out _, out var type, out var payload));
        Assert.Equal(MessageType.DistCompileRest, type);
        Assert.True(DistMessageCodec.TryReadRequest(payload.ToArray(), out var rest));
        Assert.Equal(text, (byte[])[.. pieces, .. rest!.Inputs[0].Value.ToArray()]);
        AssertSame(request, rest with { Inputs = [new(rest.Inputs[0].Key, text), .. rest.Inputs.Skip(1)] });
    }

    private static readonly DistStoreRequest Store = new()
    {
        CacheDirectory = Path.Combine(Path.GetTempPath(), "sharpcache cache ✓"),
        MaxCacheSize = 10L << 30,
        ZstdLevel = -3,
        Key = new string('a', 64),
        StartedUtcTicks = new DateTime(2026, 11, 27, 6, 0, 0, DateTimeKind.Utc).Ticks,
        Files = [new("obj", "/src/lua/src/lapi.o", true, true), new("d", "/src/lua/src/lapi.d", false, false), new("dwo", "/src/lua/src/lapi.dwo", false, true)],
    };

    [Fact]
    public void Request_WithStore_RoundTrips_EveryTruncationAndTrailingByteRejected()
    {
        var request = Request with { Store = Store, RetryLocallyOnError = true };
        var bytes = Encode(w => DistMessageCodec.WriteRequest(w, request));

        Assert.True(DistMessageCodec.TryReadRequest(bytes, out var back));
        AssertSame(request, back!);

        // The block is the request's optional last field: cut before it, a request without one; cut inside it, malformed.
        var blockAt = Encode(w => DistMessageCodec.WriteRequest(w, request with { Store = null })).Length;
        Assert.True(DistMessageCodec.TryReadRequest(bytes.AsMemory(0, blockAt), out var without));
        AssertSame(request with { Store = null }, without!);
        for (var i = blockAt + 1; i < bytes.Length; i++)
        {
            Assert.False(DistMessageCodec.TryReadRequest(bytes.AsMemory(0, i), out _), $"a request cut at {i} of {bytes.Length} bytes was accepted");
        }

        Assert.False(DistMessageCodec.TryReadRequest((byte[])[.. bytes, 0], out _));
    }

    [Fact]
    public void Request_WithStoreReportedInRecord_RoundTrips_AsOneTrailingByteOfOne()
    {
        var request = Request with { Store = Store with { ReportInRecord = true } };
        var bytes = Encode(w => DistMessageCodec.WriteRequest(w, request));
        var without = Encode(w => DistMessageCodec.WriteRequest(w, request with { Store = Store }));

        Assert.Equal([.. without, 1], bytes);
        Assert.True(DistMessageCodec.TryReadRequest(bytes, out var back));
        Assert.True(back!.Store!.ReportInRecord);
        AssertSame(request, back);
        Assert.True(DistMessageCodec.TryReadRequest(without, out var plain));
        Assert.False(plain!.Store!.ReportInRecord);
        Assert.False(DistMessageCodec.TryReadRequest((byte[])[.. without, 2], out _));
        Assert.False(DistMessageCodec.TryReadRequest((byte[])[.. bytes, 1], out _));
    }

    [Fact]
    public void DistFrame_FinishWithStore_IsTheFrameOfTheRequestWithIt()
    {
        var request = Request with { Inputs = [new("/a.i", "int x;\n"u8.ToArray())] };
        using var frame = new SharpCache.Client.DistFrame(request with { Inputs = [] }, 1, "/a.i");
        frame.AppendText("int x;\n"u8);

        var expected = new ArrayBufferWriter<byte>();
        FrameCodec.WriteFrame(expected, MessageType.DistCompile, Encode(w => DistMessageCodec.WriteRequest(w, request with { Store = Store })));
        Assert.True(frame.Finish(Store).SequenceEqual(expected.WrittenSpan));
    }

    [Fact]
    public void Result_StorePending_RoundTrips_OnlyAsOneTrailingByteOfOne()
    {
        var bytes = Encode(w => DistMessageCodec.WriteResult(w, Result with { StorePending = true }));

        Assert.True(DistMessageCodec.TryReadResult(bytes, out var back));
        Assert.True(back!.StorePending);
        Assert.Equal(Encode(w => DistMessageCodec.WriteResult(w, Result)).Length + 1, bytes.Length); // absent when false
        bytes[^1] = 0;
        Assert.False(DistMessageCodec.TryReadResult(bytes, out _));
        bytes[^1] = 2;
        Assert.False(DistMessageCodec.TryReadResult(bytes, out _));
    }

    [Fact]
    public void Stored_RoundTrips_UnknownOutcomeAndTruncationsRejected()
    {
        var bytes = Encode(w => DistMessageCodec.WriteStored(w, 2, 1234));

        Assert.True(DistMessageCodec.TryReadStored(bytes, out var outcome, out var micros));
        Assert.Equal((2, 1234L), (outcome, micros));
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.False(DistMessageCodec.TryReadStored(bytes.AsSpan(0, i), out _, out _));
        }

        Assert.False(DistMessageCodec.TryReadStored([.. bytes, 0], out _, out _));
        bytes[0] = 3;
        Assert.False(DistMessageCodec.TryReadStored(bytes, out _, out _));
    }

    [Fact]
    public void Prepare_RoundTrips_TruncationsAndTrailingBytesRejected()
    {
        var bytes = Encode(w => DistMessageCodec.WritePrepare(w, "/usr/bin/gcc-12", "gcc ✓"));
        Assert.True(DistMessageCodec.TryReadPrepare(bytes, out var compiler, out var invokedAs, out var head));
        Assert.Equal(("/usr/bin/gcc-12", "gcc ✓"), (compiler, invokedAs));
        Assert.Null(head);
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.False(DistMessageCodec.TryReadPrepare(bytes.AsMemory(0, i), out _, out _, out _));
        }

        Assert.False(DistMessageCodec.TryReadPrepare((byte[])[.. bytes, 0], out _, out _, out _));
    }

    [Fact]
    public void TextEnd_RoundTrips_EmptyToo_TruncationsAndTrailingBytesRejected()
    {
        var bytes = Encode(w => DistMessageCodec.WriteTextEnd(w, [new("/src/a.c", "int a;\n"u8.ToArray()), new("/src/ü.h", ReadOnlyMemory<byte>.Empty)]));
        Assert.True(DistMessageCodec.TryReadTextEnd(bytes, out var inputs));
        Assert.Equal(["/src/a.c", "/src/ü.h"], inputs.Select(i => i.Key));
        Assert.Equal("int a;\n"u8.ToArray(), inputs[0].Value.ToArray());
        Assert.True(inputs[1].Value.IsEmpty);
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.False(DistMessageCodec.TryReadTextEnd(bytes.AsMemory(0, i), out _));
        }

        Assert.False(DistMessageCodec.TryReadTextEnd((byte[])[.. bytes, 0], out _));
        Assert.True(DistMessageCodec.TryReadTextEnd(Encode(w => DistMessageCodec.WriteTextEnd(w, [])), out var none));
        Assert.Empty(none);
    }

    [Fact]
    public void Prepare_WithHead_RoundTrips_HeadMustMatchItsCompilerAndNameOneInput()
    {
        var head = new DistCompileRequest
        {
            CompilerPath = "/usr/bin/gcc-12",
            InvokedAs = "gcc",
            WorkingDirectory = "/src",
            Arguments = ["-c", "-x", "cpp-output", "/src/a.i", "-o", "a.o"],
            Environment = [new("LANG", "C")],
            Inputs = [new("/src/a.i", ReadOnlyMemory<byte>.Empty)],
            Outputs = ["/src/a.o"],
            RequiredOutputs = ["/src/a.o"],
            Store = new DistStoreRequest { CacheDirectory = "/c", MaxCacheSize = 1, ZstdLevel = 1, Key = "k", StartedUtcTicks = 1, Files = [] },
        };
        var bytes = Encode(w => DistMessageCodec.WritePrepare(w, head.CompilerPath, head.InvokedAs, head));
        Assert.True(DistMessageCodec.TryReadPrepare(bytes.AsMemory(), out var compiler, out var invokedAs, out var back));
        Assert.Equal((head.CompilerPath, head.InvokedAs), (compiler, invokedAs));
        AssertSame(head with { Store = null }, back!); // the store block is not part of a prepare

        Assert.False(DistMessageCodec.TryReadPrepare(Encode(w => DistMessageCodec.WritePrepare(w, "/usr/bin/cc", "cc", head)).AsMemory(), out _, out _, out _));
        var twoInputs = head with { Inputs = [.. head.Inputs, new("/src/b.c", ReadOnlyMemory<byte>.Empty)] };
        Assert.False(DistMessageCodec.TryReadPrepare(Encode(w => DistMessageCodec.WritePrepare(w, head.CompilerPath, head.InvokedAs, twoInputs)).AsMemory(), out _, out _, out _));
        for (var i = 0; i < bytes.Length; i++)
        {
            var cut = bytes.AsMemory(0, i);
            Assert.False(DistMessageCodec.TryReadPrepare(cut, out _, out _, out var partial) && partial is not null);
        }
    }

    [Fact]
    public void Request_Minimal_RoundTrips()
    {
        var minimal = new DistCompileRequest { CompilerPath = "", InvokedAs = "", WorkingDirectory = "/", Arguments = [], Inputs = [], Outputs = [], RequiredOutputs = [] };
        var bytes = Encode(w => DistMessageCodec.WriteRequest(w, minimal));

        Assert.True(DistMessageCodec.TryReadRequest(bytes, out var back));
        AssertSame(minimal, back!);
    }

    [Fact]
    public void Request_EveryTruncation_IsRejected()
    {
        var bytes = Encode(w => DistMessageCodec.WriteRequest(w, Request with { Inputs = [new("/a.i", new byte[] { 1, 2, 3 })] }));
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.False(DistMessageCodec.TryReadRequest(bytes.AsMemory(0, i), out var decoded), $"a request cut at {i} of {bytes.Length} bytes was accepted");
            Assert.Null(decoded);
        }
    }

    [Fact]
    public void Request_Inputs_AreSlicesOfThePayload()
    {
        var bytes = Encode(w => DistMessageCodec.WriteRequest(w, Request));
        Assert.True(DistMessageCodec.TryReadRequest(bytes, out var back));

        // Not copied: what the daemon sends on is the frame it received.
        var text = back!.Inputs[0].Value;
        var at = bytes.AsSpan().IndexOf(text.Span);
        bytes[at] ^= 0xff;
        Assert.Equal((byte)(1 ^ 0xff), text.Span[0]);
    }

    [Fact]
    public void Request_TrailingByte_IsRejected()
    {
        var bytes = Encode(w => DistMessageCodec.WriteRequest(w, Request));

        Assert.False(DistMessageCodec.TryReadRequest((byte[])[.. bytes, 0], out var decoded));
        Assert.Null(decoded);
    }

    [Theory]
    [InlineData(0)] // arguments
    [InlineData(1)] // environment
    [InlineData(2)] // inputs
    [InlineData(3)] // outputs
    [InlineData(4)] // required outputs
    public void Request_CountOverMaxItems_IsRejected(int list)
    {
        var w = new ArrayBufferWriter<byte>();
        PayloadWriter.WriteString(w, "/usr/bin/gcc");
        PayloadWriter.WriteString(w, "gcc");
        PayloadWriter.WriteString(w, "/");
        for (var i = 0; i < list; i++)
        {
            PayloadWriter.WriteUInt32(w, 0);
        }

        PayloadWriter.WriteUInt32(w, DistMessageCodec.MaxItems + 1);

        Assert.False(DistMessageCodec.TryReadRequest(w.WrittenMemory, out var decoded));
        Assert.Null(decoded);
    }

    [Fact]
    public void Request_CountAtMaxItems_IsOnlyLimitedByTheBytes()
    {
        var w = new ArrayBufferWriter<byte>();
        PayloadWriter.WriteString(w, "/usr/bin/gcc");
        PayloadWriter.WriteString(w, "gcc");
        PayloadWriter.WriteString(w, "/");
        PayloadWriter.WriteUInt32(w, DistMessageCodec.MaxItems);
        for (var i = 0; i < DistMessageCodec.MaxItems; i++)
        {
            PayloadWriter.WriteString(w, "");
        }

        for (var i = 0; i < 4; i++)
        {
            PayloadWriter.WriteUInt32(w, 0);
        }

        PayloadWriter.WriteBool(w, false);
        Assert.True(DistMessageCodec.TryReadRequest(w.WrittenMemory, out var decoded));
        Assert.Equal(DistMessageCodec.MaxItems, decoded!.Arguments.Count);
    }

    [Fact]
    public void Result_RoundTrips()
    {
        var bytes = Encode(w => DistMessageCodec.WriteResult(w, Result));

        Assert.True(DistMessageCodec.TryReadResult(bytes, out var back));
        AssertSame(Result, back!);
    }

    [Theory]
    [InlineData(DistCompileStatus.Failed)]
    [InlineData(DistCompileStatus.NotDistributed)]
    public void Result_FailureAndLocal_RoundTripWithReason(DistCompileStatus status)
    {
        var result = status == DistCompileStatus.Failed ? DistCompileResult.Fail("scheduler unreachable") : DistCompileResult.Local("no_dist");
        var bytes = Encode(w => DistMessageCodec.WriteResult(w, result));

        Assert.True(DistMessageCodec.TryReadResult(bytes, out var back));
        Assert.Equal(status, back!.Status);
        Assert.Equal(result.Reason, back.Reason);
        Assert.Null(back.Server);
        Assert.Empty(back.Outputs);
    }

    [Fact]
    public void Result_EveryTruncation_IsRejected()
    {
        var bytes = Encode(w => DistMessageCodec.WriteResult(w, Result with { Reason = "r" }));
        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.False(DistMessageCodec.TryReadResult(bytes.AsSpan(0, i), out var decoded), $"a result cut at {i} of {bytes.Length} bytes was accepted");
            Assert.Null(decoded);
        }

        Assert.False(DistMessageCodec.TryReadResult([.. bytes, 0], out _));
    }

    [Fact]
    public void Result_UnknownStatus_IsRejected()
    {
        var bytes = Encode(w => DistMessageCodec.WriteResult(w, Result));
        bytes[0] = (byte)DistCompileStatus.NotDistributed + 1;

        Assert.False(DistMessageCodec.TryReadResult(bytes, out var decoded));
        Assert.Null(decoded);
    }

    [Theory]
    [InlineData((long)int.MaxValue + 1)]
    [InlineData((long)int.MinValue - 1)]
    public void Result_ExitCodeOutOfRange_IsRejected(long exitCode)
    {
        var w = new ArrayBufferWriter<byte>();
        PayloadWriter.WriteByte(w, (byte)DistCompileStatus.Completed);
        PayloadWriter.WriteNullableString(w, null);
        PayloadWriter.WriteNullableString(w, null);
        PayloadWriter.WriteInt64(w, exitCode);
        PayloadWriter.WriteBlob(w, []);
        PayloadWriter.WriteBlob(w, []);
        PayloadWriter.WriteUInt32(w, 0);

        Assert.False(DistMessageCodec.TryReadResult(w.WrittenSpan, out _));
    }

    [Fact]
    public void Result_OutputCountOverMaxItems_IsRejected()
    {
        var w = new ArrayBufferWriter<byte>();
        PayloadWriter.WriteByte(w, (byte)DistCompileStatus.Completed);
        PayloadWriter.WriteNullableString(w, "s");
        PayloadWriter.WriteNullableString(w, null);
        PayloadWriter.WriteInt64(w, 0);
        PayloadWriter.WriteBlob(w, []);
        PayloadWriter.WriteBlob(w, []);
        PayloadWriter.WriteUInt32(w, DistMessageCodec.MaxItems + 1);

        Assert.False(DistMessageCodec.TryReadResult(w.WrittenSpan, out var decoded));
        Assert.Null(decoded);
    }

    private static void AssertSame(DistCompileRequest expected, DistCompileRequest actual)
    {
        Assert.Equal(expected.CompilerPath, actual.CompilerPath);
        Assert.Equal(expected.InvokedAs, actual.InvokedAs);
        Assert.Equal(expected.WorkingDirectory, actual.WorkingDirectory);
        Assert.Equal(expected.Arguments, actual.Arguments);
        Assert.Equal(expected.Environment, actual.Environment);
        AssertFiles(expected.Inputs, actual.Inputs);
        Assert.Equal(expected.Outputs, actual.Outputs);
        Assert.Equal(expected.RequiredOutputs, actual.RequiredOutputs);
        Assert.Equal(expected.RetryLocallyOnError, actual.RetryLocallyOnError);
        Assert.Equal(expected.Store is null, actual.Store is null);
        if (expected.Store is { } store)
        {
            var back = actual.Store!;
            Assert.Equal(store.ReportInRecord, back.ReportInRecord);
            Assert.Equal((store.CacheDirectory, store.MaxCacheSize, store.ZstdLevel, store.Key, store.StartedUtcTicks), (back.CacheDirectory, back.MaxCacheSize, back.ZstdLevel, back.Key, back.StartedUtcTicks));
            Assert.Equal(store.Files, back.Files);
        }
    }

    private static void AssertSame(DistCompileResult expected, DistCompileResult actual)
    {
        Assert.Equal(expected.StorePending, actual.StorePending);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Server, actual.Server);
        Assert.Equal(expected.Reason, actual.Reason);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal(expected.Stdout, actual.Stdout);
        Assert.Equal(expected.Stderr, actual.Stderr);
        AssertFiles(expected.Outputs, actual.Outputs);
    }

    private static void AssertFiles(IReadOnlyList<KeyValuePair<string, byte[]>> expected, IReadOnlyList<KeyValuePair<string, byte[]>> actual) =>
        AssertFiles(expected.Select(f => new KeyValuePair<string, ReadOnlyMemory<byte>>(f.Key, f.Value)).ToList(), actual.Select(f => new KeyValuePair<string, ReadOnlyMemory<byte>>(f.Key, f.Value)).ToList());

    private static void AssertFiles(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> expected, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Key, actual[i].Key);
            Assert.True(expected[i].Value.Span.SequenceEqual(actual[i].Value.Span), $"input {expected[i].Key} differs");
        }
    }

    private static byte[] Encode(Action<ArrayBufferWriter<byte>> write)
    {
        var w = new ArrayBufferWriter<byte>();
        write(w);
        return w.WrittenSpan.ToArray();
    }
}
