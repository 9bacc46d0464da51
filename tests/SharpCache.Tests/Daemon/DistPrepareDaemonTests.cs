using System.Buffers;
using System.Collections.Concurrent;
using SharpCache.Daemon;
using SharpCache.Protocol;

namespace SharpCache.Tests.Daemon;

/// <summary>
/// <see cref="MessageType.DistPrepare"/> on a connection: the daemon starts the job ahead and hands it to the compile
/// that follows on that connection; a connection that ends without the compile gives it back; a bad prepare closes
/// only its connection. The dist client is a recording fake (the real one is tested against a cluster).
/// </summary>
public sealed class DistPrepareDaemonTests
{
    [Fact]
    public async Task PrepareThenCompile_OnOneConnection_TheCompileGetsThePreparation()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist);
        using var socket = daemon.Connect();
        socket.Send(PrepareFrame("/usr/bin/gcc-12", "gcc"));
        socket.Send(CompileFrame());
        var reply = ReadFrame(socket);
        Assert.Equal(MessageType.DistCompileReply, reply.Type);
        Assert.True(DistMessageCodec.TryReadResult(reply.Payload, out var result));
        Assert.Equal(DistCompileStatus.Completed, result!.Status);

        var prepared = Assert.Single(dist.Prepared);
        Assert.Equal(("/usr/bin/gcc-12", "gcc"), (prepared.Compiler, prepared.InvokedAs));
        Assert.Same(prepared, Assert.Single(dist.CompiledWith));
        Assert.Equal(0, prepared.Releases); // the compile consumed it
    }

    [Fact]
    public async Task PrepareThenDisconnect_ThePreparationIsReleasedOnce()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist);
        using (var socket = daemon.Connect())
        {
            socket.Send(PrepareFrame("/usr/bin/gcc-12", "gcc"));
            await TestDaemon.WaitUntilAsync(() => !dist.Prepared.IsEmpty);
        }

        var prepared = Assert.Single(dist.Prepared);
        await TestDaemon.WaitUntilAsync(() => prepared.Releases > 0);
        await Task.Delay(50);
        Assert.Equal(1, prepared.Releases);
        Assert.Empty(dist.CompiledWith);
    }

    [Fact]
    public async Task SecondPrepareOnAConnection_ReleasesTheFirst_CompileWithoutPrepareGetsNone()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist);
        using (var socket = daemon.Connect())
        {
            socket.Send(PrepareFrame("/usr/bin/gcc-12", "gcc"));
            socket.Send(PrepareFrame("/usr/bin/clang", "clang"));
            socket.Send(CompileFrame());
            Assert.Equal(MessageType.DistCompileReply, ReadFrame(socket).Type);
            socket.Send(CompileFrame());
            Assert.Equal(MessageType.DistCompileReply, ReadFrame(socket).Type);
        }

        Assert.Equal(2, dist.Prepared.Count);
        var first = dist.Prepared.Single(p => p.Compiler == "/usr/bin/gcc-12");
        var second = dist.Prepared.Single(p => p.Compiler == "/usr/bin/clang");
        Assert.Equal(1, first.Releases);
        Assert.Equal([second, null], dist.CompiledWith.ToArray());
    }

    [Fact]
    public async Task PreparedConnectionClosedByTheDaemon_TheCompileGoesOnANewConnection()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist, connectionIdleTimeout: TimeSpan.FromMilliseconds(200));
        using var session = DaemonSession.TryPrepareDist(daemon.Options, "/usr/bin/gcc-12", "gcc");
        Assert.NotNull(session);

        // The client preprocessed for longer than the daemon waits on a silent connection: it closed, and gave the job back.
        await TestDaemon.WaitUntilAsync(() => dist.Prepared.TryPeek(out var p) && p.Releases == 1);
        var output = Path.Combine(daemon.Root, "x.o");
        var failed = false;
        var result = SharpCache.Client.DistExchange.TryRun(daemon.Options, new SharpCache.Client.CompilerProcess(new SharpCache.Core.Processes.ProcessRunner()), CompileFrame(output), CompileFrame(output), -1, [output], session, retryLocallyOnError: false, ref failed, out _);

        Assert.NotNull(result);
        Assert.Equal(0, result.ExitCode);
        Assert.False(failed);
        Assert.Equal([null], dist.CompiledWith.ToArray());
        Assert.Equal([0x7f], File.ReadAllBytes(output));
    }

    [Fact]
    public async Task CompileWithStore_DaemonAnswersThenWritesTheEntry_ItsOutcomeGoesIntoTheRecordOnTheSameConnection()
    {
        var dist = new RecordingDist { Stderr = "warning: w\n"u8.ToArray() };
        await using var daemon = await TestDaemon.StartAsync(dist: dist);
        var output = Path.Combine(daemon.Root, "x.o");
        var depfile = Path.Combine(daemon.Root, "x.d");
        File.WriteAllText(depfile, "x.o: x.c x.h\n");
        File.SetUnixFileMode(depfile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var store = StoreFor(daemon, output, [new("obj", output, true, true), new("d", depfile, false, false), new("gcno", output + ".gcno", false, false)]) with { ReportInRecord = true };
        using var session = DaemonSession.TryPrepareDist(daemon.Options, "/usr/bin/gcc-12", "gcc");
        var failed = false;

        var result = SharpCache.Client.DistExchange.TryRun(daemon.Options, new SharpCache.Client.CompilerProcess(new SharpCache.Core.Processes.ProcessRunner()), CompileFrame(output, store), CompileFrame(output, store), -1, [output], session, retryLocallyOnError: false, ref failed, out var storePending);

        Assert.NotNull(result);
        Assert.True(storePending);
        Assert.Equal([0x7f], File.ReadAllBytes(output));

        // No report frame comes: the record sent next on the connection gets the daemon's write (counted once it is done).
        Assert.True(session!.TrySendRecord(new CompileRecord { Outcome = CompileOutcome.CacheMiss, Language = "C/C++", StoredByDaemon = true }));
        await TestDaemon.WaitUntilAsync(() => daemon.GetStats().Stats.CompileRequests == 1);
        var stats = daemon.GetStats().Stats;
        Assert.Equal(1, stats.CacheWrites);
        Assert.Equal(0, stats.CacheWriteErrors);
        var entry = ReadEntry(daemon, store.Key);
        Assert.Equal(["obj", "d"], entry.Files.Select(f => f.Name));
        Assert.Equal(0, entry.Files[0].UnixMode); // restored as the compiler creates a file: 0666 less the umask
        Assert.Equal([0x7f], entry.Files[0].Content.ToArray());
        Assert.Equal("x.o: x.c x.h\n"u8.ToArray(), entry.Files[1].Content.ToArray());
        Assert.Equal(0x1A0, entry.Files[1].UnixMode);
        Assert.Equal("warning: w\n"u8.ToArray(), entry.Stderr.ToArray());
    }

    [Fact]
    public async Task RecordStoredByDaemon_WithoutAWriteOnItsConnection_CountsNoWrite()
    {
        await using var daemon = await TestDaemon.StartAsync(dist: new RecordingDist());
        using (var socket = daemon.Connect())
        {
            socket.Send(DaemonClient.RecordFrame(new CompileRecord { Outcome = CompileOutcome.CacheMiss, Language = "C/C++", StoredByDaemon = true, CacheWritten = true, WriteMicros = 5 }).WrittenSpan);
        }

        await TestDaemon.WaitUntilAsync(() => daemon.GetStats().Stats.CompileRequests == 1);
        Assert.Equal(0, daemon.GetStats().Stats.CacheWrites);
    }

    [Fact]
    public async Task CompileWithStore_ReportedInRecord_SkippedWrite_IsNoWriteAndTheDaemonSendsNoFrame()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist);
        var output = Path.Combine(daemon.Root, "x.o");
        var store = StoreFor(daemon, output, [new("obj", output, true, true), new("dwo", output + ".dwo", true, true)]) with { ReportInRecord = true };
        using (var socket = daemon.Connect())
        {
            socket.Send(CompileFrame(output, store));
            Assert.True(DistMessageCodec.TryReadResult(ReadFrame(socket).Payload, out var result));
            Assert.True(result!.StorePending);
            socket.Send(DaemonClient.RecordFrame(new CompileRecord { Outcome = CompileOutcome.CacheMiss, Language = "C/C++", StoredByDaemon = true }).WrittenSpan);
            socket.Send(TestDaemon.Frame(MessageType.GetStats, default));
            Assert.Equal(MessageType.Stats, ReadFrame(socket).Type); // the next frame is the stats' answer, not a report
        }

        var stats = daemon.GetStats().Stats;
        Assert.Equal(1, stats.CompileRequests);
        Assert.Equal(0, stats.CacheWrites);
        Assert.Equal(0, stats.CacheWriteErrors);
    }

    [Fact]
    public async Task StatsAskedAfterTheAnswer_WaitForTheRecordOfTheDaemonsWrite_NotForAConnectionThatEnded()
    {
        await using var daemon = await TestDaemon.StartAsync(dist: new RecordingDist());
        var output = Path.Combine(daemon.Root, "x.o");
        var store = StoreFor(daemon, output, [new("obj", output, true, true)]) with { ReportInRecord = true };
        using (var socket = daemon.Connect())
        {
            socket.Send(CompileFrame(output, store));
            Assert.True(DistMessageCodec.TryReadResult(ReadFrame(socket).Payload, out var result));
            Assert.True(result!.StorePending);

            // The client has its answer; its record is not sent yet: a stats request waits for it (up to a bound of seconds).
            var stats = Task.Run(() => daemon.GetStats().Stats);
            await Task.Delay(300);
            Assert.False(stats.IsCompleted);
            socket.Send(DaemonClient.RecordFrame(new CompileRecord { Outcome = CompileOutcome.CacheMiss, Language = "C/C++", StoredByDaemon = true }).WrittenSpan);
            var counted = await stats.WaitAsync(TestDaemon.Timeout);
            Assert.Equal(1, counted.CompileRequests);
            Assert.Equal(1, counted.CacheWrites);
        }

        using (var socket = daemon.Connect())
        {
            socket.Send(CompileFrame(output, store));
            Assert.True(DistMessageCodec.TryReadResult(ReadFrame(socket).Payload, out _));
        }

        // That client ended without its record: nothing to wait for once its connection is gone.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await TestDaemon.WaitUntilAsync(() => daemon.Server!.ActiveConnections == 0);
        Assert.Equal(1, daemon.GetStats().Stats.CompileRequests);
        Assert.True(watch.Elapsed < DaemonServer.PendingRecordsWait, watch.Elapsed.ToString());
    }

    [Fact]
    public async Task StatsAskedOnTheConnectionWhoseRecordIsPending_AnswerWithoutWaitingForItself()
    {
        await using var daemon = await TestDaemon.StartAsync(dist: new RecordingDist());
        var output = Path.Combine(daemon.Root, "x.o");
        var store = StoreFor(daemon, output, [new("obj", output, true, true)]) with { ReportInRecord = true };
        using var socket = daemon.Connect();
        socket.Send(CompileFrame(output, store));
        Assert.True(DistMessageCodec.TryReadResult(ReadFrame(socket).Payload, out _));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        socket.Send(TestDaemon.Frame(MessageType.GetStats, default));
        Assert.Equal(MessageType.Stats, ReadFrame(socket).Type);
        Assert.True(watch.Elapsed < DaemonServer.PendingRecordsWait, watch.Elapsed.ToString());
    }

    [Fact]
    public async Task StoreBlockRefused_AsByADaemonFromBeforeIt_TheCompileIsAskedAgainWithoutIt()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist);
        var output = Path.Combine(daemon.Root, "x.o");

        // A block this daemon cannot read stands in for any block an older daemon does not expect: it closes the connection.
        var plain = CompileFrame(output);
        byte[] frame = [.. plain, 0xff, 0xff];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(frame.Length - FrameFormat.PrefixLength));
        using var session = DaemonSession.TryPrepareDist(daemon.Options, "/usr/bin/gcc-12", "gcc");
        var failed = false;

        var result = SharpCache.Client.DistExchange.TryRun(daemon.Options, new SharpCache.Client.CompilerProcess(new SharpCache.Core.Processes.ProcessRunner()), frame, frame, plain.Length, [output], session, retryLocallyOnError: false, ref failed, out var storePending);

        Assert.NotNull(result);
        Assert.False(failed);
        Assert.False(storePending);
        Assert.Single(dist.CompiledWith);
        Assert.Equal([0x7f], File.ReadAllBytes(output));
    }

    [Fact]
    public async Task CompileWithStore_RequiredOutputMissingOrCompileFailed_NothingStored()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist);
        var output = Path.Combine(daemon.Root, "x.o");
        var store = StoreFor(daemon, output, [new("obj", output, true, true), new("dwo", output + ".dwo", true, true)]);
        using (var socket = daemon.Connect())
        {
            socket.Send(CompileFrame(output, store));
            Assert.True(DistMessageCodec.TryReadResult(ReadFrame(socket).Payload, out var result));
            Assert.True(result!.StorePending);
            var stored = ReadFrame(socket);
            Assert.Equal(MessageType.DistStored, stored.Type);
            Assert.True(DistMessageCodec.TryReadStored(stored.Payload, out var outcome, out _));
            Assert.Equal(SharpCache.Daemon.DistStore.Skipped, outcome);
        }

        dist.ExitCode = 1;
        using (var socket = daemon.Connect())
        {
            socket.Send(CompileFrame(output, StoreFor(daemon, output, [new("obj", output, true, true)])));
            Assert.True(DistMessageCodec.TryReadResult(ReadFrame(socket).Payload, out var result));
            Assert.False(result!.StorePending);
        }

        Assert.Equal(0, new SharpCache.Storage.Disk.DiskStorage(daemon.Options.CacheDirectory, 1L << 30).GetUsage().Files);
    }

    private static DistStoreRequest StoreFor(TestDaemon daemon, string output, IReadOnlyList<DistStoreFile> files) => new()
    {
        CacheDirectory = daemon.Options.CacheDirectory,
        MaxCacheSize = 1L << 30,
        ZstdLevel = 1,
        Key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(output))),
        StartedUtcTicks = DateTime.UtcNow.AddSeconds(-1).Ticks,
        Files = files,
    };

    private static SharpCache.Core.Entries.CacheEntry ReadEntry(TestDaemon daemon, string key)
    {
        var read = new SharpCache.Storage.Disk.DiskStorage(daemon.Options.CacheDirectory, 1L << 30).Get(new SharpCache.Storage.CacheKey(key));
        var hit = Assert.IsType<SharpCache.Storage.StorageReadResult.Hit>(read);
        var decoded = SharpCache.Core.Entries.EntryCodec.Decode(hit.Data);
        return Assert.IsType<SharpCache.Core.Entries.EntryDecodeResult.Ok>(decoded).Entry;
    }

    [Theory]
    [InlineData(700_001, true)]
    [InlineData(700_001, false)]
    [InlineData(1_000, true)]
    public async Task TextSentAheadWhilePreprocessing_TheCompileGetsTheWholeText(int length, bool sessionHolds)
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist, maxFrameLength: 4 << 20);
        var output = Path.Combine(daemon.Root, "x.o");
        var text = new byte[length];
        new Random(length).NextBytes(text);
        using var session = DaemonSession.TryPrepareDist(daemon.Options, "/usr/bin/gcc-12", "gcc");
        using var frame = new SharpCache.Client.DistFrame(CompileRequest(output) with { Inputs = [] }, 1, "/src/x.i");

        // Without sessionHolds the connection breaks after the first piece (as a daemon from before DistText closes it):
        // the compile goes on a new connection with the whole frame.
        var pieces = 0;
        frame.StreamTo(piece => pieces++ == 0 || sessionHolds ? session!.TrySendText(piece) : Broken(session!));
        for (var at = 0; at < text.Length; at += 10_007)
        {
            frame.AppendText(text.AsSpan(at, Math.Min(10_007, text.Length - at)));
        }

        var finished = frame.Finish().ToArray();
        var failed = false;
        var result = SharpCache.Client.DistExchange.TryRun(daemon.Options, new SharpCache.Client.CompilerProcess(new SharpCache.Core.Processes.ProcessRunner()), finished, frame.SessionFrame, frame.StoreAt, [output], session, retryLocallyOnError: false, ref failed, out _);

        Assert.NotNull(result);
        Assert.False(failed);
        Assert.Equal(text, Assert.Single(dist.Texts));
        Assert.Equal([0x7f], File.ReadAllBytes(output));
        if (length < SharpCache.Client.DistFrame.StreamPiece)
        {
            Assert.Equal(0, frame.StreamedLength);
            Assert.True(frame.SessionFrame.SequenceEqual(finished));
        }
        else
        {
            Assert.InRange(frame.StreamedLength, SharpCache.Client.DistFrame.StreamPiece, length - 1);
            Assert.Equal(sessionHolds ? [dist.Prepared.Single()] : [null], dist.CompiledWith.ToArray());
        }
    }

    [Theory]
    [InlineData(700_001)]
    [InlineData(1_000)]
    public async Task HeadSentWithThePrepare_ThePreparationGetsItAndEveryPieceInOrder_TheCompileTheWholeText(int length)
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist, maxFrameLength: 4 << 20);
        var output = Path.Combine(daemon.Root, "x.o");
        var text = new byte[length];
        new Random(length).NextBytes(text);
        var head = CompileRequest(output) with { Inputs = [new("/src/x.i", ReadOnlyMemory<byte>.Empty)] };
        using var session = DaemonSession.TryPrepareDist(daemon.Options, head.CompilerPath, head.InvokedAs, head);
        using var frame = new SharpCache.Client.DistFrame(CompileRequest(output) with { Inputs = [] }, 1, "/src/x.i");
        frame.StreamTo(session!.TrySendText);
        for (var at = 0; at < text.Length; at += 10_007)
        {
            frame.AppendText(text.AsSpan(at, Math.Min(10_007, text.Length - at)));
        }

        // As at the end of the preprocessor's output, before its exit: the rest goes ahead whatever its size.
        frame.SendPendingText();
        Assert.Equal(length, frame.StreamedLength);
        var finished = frame.Finish().ToArray();
        var failed = false;
        var result = SharpCache.Client.DistExchange.TryRun(daemon.Options, new SharpCache.Client.CompilerProcess(new SharpCache.Core.Processes.ProcessRunner()), finished, frame.SessionFrame, frame.StoreAt, [output], session, retryLocallyOnError: false, ref failed, out _);

        Assert.NotNull(result);
        Assert.Equal(text, Assert.Single(dist.Texts));
        var prepared = Assert.Single(dist.Prepared);
        Assert.Equal([prepared], dist.CompiledWith.ToArray());
        Assert.NotNull(prepared.Head);
        Assert.Equal(head.Arguments, prepared.Head.Arguments);
        Assert.Equal(head.Outputs, prepared.Head.Outputs);
        Assert.Equal("/src/x.i", Assert.Single(prepared.Head.Inputs).Key);
        Assert.Equal(text, prepared.Pieces.SelectMany(p => p).ToArray());
    }

    [Fact]
    public async Task TextEndSentBeforeTheCompile_ThePreparationGetsTheOtherInputsAfterEveryPiece_TheCompileStillComes()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist, maxFrameLength: 4 << 20);
        var output = Path.Combine(daemon.Root, "x.o");
        var text = new byte[300_000];
        new Random(7).NextBytes(text);
        var head = CompileRequest(output) with { Inputs = [new("/src/x.i", ReadOnlyMemory<byte>.Empty)] };
        using var session = DaemonSession.TryPrepareDist(daemon.Options, head.CompilerPath, head.InvokedAs, head);
        using var frame = new SharpCache.Client.DistFrame(CompileRequest(output) with { Inputs = [] }, 2, "/src/x.i");
        frame.StreamTo(session!.TrySendText);
        frame.AppendText(text);
        frame.SendPendingText();
        Assert.True(session.TrySendTextEnd([new("/src/x.c", "int x;\n"u8.ToArray()), new("/src/extra.h", ReadOnlyMemory<byte>.Empty)]));
        frame.EndText();
        SharpCache.Protocol.DistMessageCodec.WriteFile(frame, "/src/x.c", "int x;\n"u8);
        var finished = frame.Finish().ToArray();
        var failed = false;
        var result = SharpCache.Client.DistExchange.TryRun(daemon.Options, new SharpCache.Client.CompilerProcess(new SharpCache.Core.Processes.ProcessRunner()), finished, frame.SessionFrame, frame.StoreAt, [output], session, retryLocallyOnError: false, ref failed, out _);

        Assert.NotNull(result);
        var prepared = Assert.Single(dist.Prepared);
        var (piecesBefore, inputs) = Assert.Single(prepared.Ends);
        Assert.Equal(prepared.Pieces.Count, piecesBefore);
        Assert.Equal(text, prepared.Pieces.SelectMany(p => p).ToArray());
        Assert.Equal(["/src/x.c", "/src/extra.h"], inputs.Select(i => i.Key));
        Assert.Equal("int x;\n"u8.ToArray(), inputs[0].Value);
        Assert.Empty(inputs[1].Value);
        Assert.Equal([prepared], dist.CompiledWith.ToArray());
        Assert.Equal(text, Assert.Single(dist.Texts));
    }

    [Fact]
    public async Task MalformedTextEnd_ClosesThatConnection_DaemonKeepsServing()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist);
        using (var socket = daemon.Connect())
        {
            socket.Send(PrepareFrame("/usr/bin/gcc-12", "gcc"));
            socket.Send(TestDaemon.Frame(MessageType.DistText, "int x;\n"u8));
            socket.Send(TestDaemon.Frame(MessageType.DistTextEnd, [0, 0, 0, 3, 0]));
            Assert.True(TestDaemon.ReadsToEof(socket));
        }

        Assert.Empty(Assert.Single(dist.Prepared).Ends);
        Assert.Empty(dist.CompiledWith);
        using var again = daemon.Connect();
        again.Send(CompileFrame());
        Assert.Equal(MessageType.DistCompileReply, ReadFrame(again).Type);
    }

    private static bool Broken(DaemonSession session)
    {
        session.Dispose();
        return false;
    }

    [Fact]
    public async Task DistCompileAfterTextSentAhead_ClosesTheConnection_DaemonKeepsServing()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist);
        using (var socket = daemon.Connect())
        {
            socket.Send(PrepareFrame("/usr/bin/gcc-12", "gcc"));
            socket.Send(TestDaemon.Frame(MessageType.DistText, "int x;\n"u8));
            socket.Send(CompileFrame());
            Assert.True(TestDaemon.ReadsToEof(socket));
        }

        Assert.Empty(dist.CompiledWith);
        using var again = daemon.Connect();
        again.Send(CompileFrame());
        Assert.Equal(MessageType.DistCompileReply, ReadFrame(again).Type);
    }

    [Fact]
    public async Task TextSentAheadOverTheFrameLimit_ClosesTheConnection()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist, maxFrameLength: 64 * 1024);
        using var socket = daemon.Connect();
        socket.Send(PrepareFrame("/usr/bin/gcc-12", "gcc"));
        socket.Send(TestDaemon.Frame(MessageType.DistText, new byte[40_000]));
        socket.Send(TestDaemon.Frame(MessageType.DistText, new byte[40_000]));

        Assert.True(TestDaemon.ReadsToEof(socket));
        Assert.Empty(dist.CompiledWith);
    }

    [Fact]
    public async Task MalformedPrepare_ClosesThatConnection_DaemonKeepsServing()
    {
        var dist = new RecordingDist();
        await using var daemon = await TestDaemon.StartAsync(dist: dist);
        using (var socket = daemon.Connect())
        {
            socket.Send([0, 0, 0, 5, FrameFormat.Version, (byte)MessageType.DistPrepare, 0xff, 0xff, 0xff]);
            Assert.True(TestDaemon.ReadsToEof(socket));
        }

        Assert.Empty(dist.Prepared);
        Assert.Equal(0, daemon.GetStats().Stats.CompileRequests);
    }

    private static byte[] PrepareFrame(string compiler, string invokedAs)
    {
        var payload = new ArrayBufferWriter<byte>();
        DistMessageCodec.WritePrepare(payload, compiler, invokedAs);
        return TestDaemon.Frame(MessageType.DistPrepare, payload.WrittenSpan);
    }

    private static byte[] CompileFrame(string output = "/src/x.o", DistStoreRequest? store = null)
    {
        var payload = new ArrayBufferWriter<byte>();
        DistMessageCodec.WriteRequest(payload, CompileRequest(output, store));
        return TestDaemon.Frame(MessageType.DistCompile, payload.WrittenSpan);
    }

    private static DistCompileRequest CompileRequest(string output, DistStoreRequest? store = null) => new()
    {
        CompilerPath = "/usr/bin/gcc-12",
        InvokedAs = "gcc",
        WorkingDirectory = "/src",
        Arguments = ["-c", "x.i"],
        Inputs = [new("/src/x.i", new byte[] { 1, 2, 3 })],
        Outputs = [output],
        RequiredOutputs = [output],
        Store = store,
    };

    private static (MessageType Type, byte[] Payload) ReadFrame(System.Net.Sockets.Socket socket)
    {
        var prefix = new byte[FrameFormat.PrefixLength];
        ReceiveExactly(socket, prefix);
        Assert.Equal(FrameLengthStatus.Ok, FrameCodec.ReadLength(prefix, 1 << 20, out var length));
        var body = new byte[length];
        ReceiveExactly(socket, body);
        Assert.True(FrameCodec.TryReadBody(body, out _, out var type, out var payload));
        return (type, payload.ToArray());
    }

    private static void ReceiveExactly(System.Net.Sockets.Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = socket.Receive(buffer, read, buffer.Length - read, System.Net.Sockets.SocketFlags.None);
            Assert.True(n > 0, "the daemon closed the connection");
            read += n;
        }
    }

    private sealed class Preparation(string compiler, string invokedAs, DistCompileRequest? head) : IDistPreparation
    {
        private int _releases;

        public string Compiler { get; } = compiler;

        public string InvokedAs { get; } = invokedAs;

        public DistCompileRequest? Head { get; } = head;

        /// <summary>The text handed over as it came (copied: the daemon's buffer is reused after the compile).</summary>
        public ConcurrentQueue<byte[]> Pieces { get; } = new();

        public void AppendText(ReadOnlyMemory<byte> text) => Pieces.Enqueue(text.ToArray());

        /// <summary>The other inputs given at the text's end (<see cref="MessageType.DistTextEnd"/>), with how many pieces came before.</summary>
        public ConcurrentQueue<(int PiecesBefore, List<KeyValuePair<string, byte[]>> Inputs)> Ends { get; } = new();

        public void EndText(IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> inputs) =>
            Ends.Enqueue((Pieces.Count, [.. inputs.Select(i => new KeyValuePair<string, byte[]>(i.Key, i.Value.ToArray()))]));

        public int Releases => Volatile.Read(ref _releases);

        public void Release() => Interlocked.Increment(ref _releases);
    }

    private sealed class RecordingDist : IDistCompiler
    {
        public ConcurrentQueue<Preparation> Prepared { get; } = new();

        public ConcurrentQueue<Preparation?> CompiledWith { get; } = new();

        /// <summary>Each compile's first input, copied (the daemon's buffers are reused after the compile).</summary>
        public ConcurrentQueue<byte[]> Texts { get; } = new();

        public int ExitCode { get; set; }

        public byte[] Stderr { get; set; } = [];

        public IDistPreparation? Prepare(string compilerPath, string invokedAs, DistCompileRequest? head, CancellationToken cancellationToken)
        {
            var prepared = new Preparation(compilerPath, invokedAs, head);
            Prepared.Enqueue(prepared);
            return prepared;
        }

        public Task<DistCompileResult> CompileAsync(DistCompileRequest request, CancellationToken cancellationToken) =>
            CompileAsync(request, null, cancellationToken);

        public Task<DistCompileResult> CompileAsync(DistCompileRequest request, IDistPreparation? prepared, CancellationToken cancellationToken)
        {
            CompiledWith.Enqueue((Preparation?)prepared);
            Texts.Enqueue(request.Inputs.Count > 0 ? request.Inputs[0].Value.ToArray() : []);
            return Task.FromResult(new DistCompileResult
            {
                Status = DistCompileStatus.Completed,
                Server = "fake:1",
                ExitCode = ExitCode,
                Stdout = [],
                Stderr = Stderr,
                Outputs = [new(request.Outputs[0], [0x7f])],
            });
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
