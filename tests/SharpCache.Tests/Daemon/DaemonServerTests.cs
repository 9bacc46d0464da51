using System.Buffers.Binary;
using System.Net.Sockets;
using SharpCache.Daemon;
using SharpCache.Protocol;

namespace SharpCache.Tests.Daemon;

public sealed class DaemonServerTests
{
    private static readonly CompileRecord Hit = new() { Outcome = CompileOutcome.CacheHit, Language = "C/C++", AdvancedLabel = "c [gcc]", ReadHitMicros = 1500 };

    [Fact]
    public async Task RecordCompile_ThenGetStats_CountsTheRecord()
    {
        await using var daemon = await TestDaemon.StartAsync();
        using (var socket = daemon.Connect())
        {
            socket.Send(TestDaemon.RecordFrame(Hit));
            socket.Send(TestDaemon.RecordFrame(Hit with { Outcome = CompileOutcome.CacheMiss, CompileMicros = 20_000, CacheWritten = true }));
        }

        await TestDaemon.WaitUntilAsync(() => daemon.Server!.Stats.Snapshot().CompileRequests == 2);
        var info = daemon.GetStats();
        Assert.Equal(2, info.Stats.CompileRequests);
        Assert.Equal(1, info.Stats.CacheHits.Counts["C/C++"]);
        Assert.Equal(1, info.Stats.CacheMisses.AdvCounts["c [gcc]"]);
        Assert.Equal(1, info.Stats.CacheWrites);
        Assert.Equal(20_000_000, info.Stats.CompilerNanos);
        Assert.Equal("0.1.0", info.Version);
        Assert.StartsWith("Local disk: \"", info.CacheLocation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZeroStats_ResetsCounters()
    {
        await using var daemon = await TestDaemon.StartAsync();
        daemon.Server!.Stats.Record(Hit);
        var status = DaemonClient.Request(daemon.Options, MessageType.ZeroStats, null, TestDaemon.Timeout, out var response);
        Assert.Equal(DaemonRequestStatus.Ok, status);
        Assert.Equal(MessageType.ZeroStatsAck, response!.Type);
        Assert.Equal(0, daemon.GetStats().Stats.CompileRequests);
    }

    [Fact]
    public async Task Ping_AnswersPongWithVersion()
    {
        await using var daemon = await TestDaemon.StartAsync();
        var status = DaemonClient.Request(daemon.Options, MessageType.Ping, null, TestDaemon.Timeout, out var response);
        Assert.Equal(DaemonRequestStatus.Ok, status);
        Assert.Equal(MessageType.Pong, response!.Type);
        Assert.Equal(ProductVersion.Value, response.Text);
    }

    [Fact]
    public async Task Shutdown_RepliesFinalStats_StopsAndRemovesSocket()
    {
        await using var daemon = await TestDaemon.StartAsync();
        daemon.Server!.Stats.Record(Hit);
        var status = DaemonClient.Request(daemon.Options, MessageType.Shutdown, null, TestDaemon.Timeout, out var response);
        Assert.Equal(DaemonRequestStatus.Ok, status);
        Assert.Equal(MessageType.ShuttingDown, response!.Type);
        Assert.Equal(1, response.Info!.Stats.CompileRequests);
        await daemon.Server.Completion.WaitAsync(TestDaemon.Timeout);
        Assert.Equal(DaemonStopReason.Requested, daemon.Server.StopReason);
        Assert.False(File.Exists(daemon.Options.ServerSocketPath));
        Assert.Equal(DaemonRequestStatus.NotRunning, DaemonClient.Request(daemon.Options, MessageType.Ping, null, TestDaemon.Timeout, out _));
    }

    [Fact]
    public async Task SocketDirectory_IsPrivate()
    {
        await using var daemon = await TestDaemon.StartAsync();
        var mode = File.GetUnixFileMode(Path.GetDirectoryName(daemon.Options.ServerSocketPath)!);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
    }

    [Fact]
    public async Task GarbageFrame_ClosesThatConnection_DaemonKeepsServing()
    {
        await using var daemon = await TestDaemon.StartAsync();
        using (var socket = daemon.Connect())
        {
            // Valid length, valid version, unknown type and random payload.
            socket.Send([0, 0, 0, 6, FrameFormat.Version, 0x7f, 1, 2, 3, 4]);
            Assert.True(TestDaemon.ReadsToEof(socket));
        }

        using (var socket = daemon.Connect())
        {
            // A compile record whose payload is garbage.
            socket.Send([0, 0, 0, 5, FrameFormat.Version, (byte)MessageType.RecordCompile, 0xff, 0xff, 0xff]);
            Assert.True(TestDaemon.ReadsToEof(socket));
        }

        using (var socket = daemon.Connect())
        {
            // Wrong protocol version.
            socket.Send([0, 0, 0, 2, 99, (byte)MessageType.Ping]);
            Assert.True(TestDaemon.ReadsToEof(socket));
        }

        using (var socket = daemon.Connect())
        {
            // Length shorter than the version + type bytes.
            socket.Send([0, 0, 0, 1, 1]);
            Assert.True(TestDaemon.ReadsToEof(socket));
        }

        Assert.Equal(0, daemon.GetStats().Stats.CompileRequests);
    }

    [Fact]
    public async Task OversizedFrame_ClosesConnection_WithoutReadingIt()
    {
        await using var daemon = await TestDaemon.StartAsync(maxFrameLength: 1024);
        using (var socket = daemon.Connect())
        {
            var prefix = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(prefix, 1025);
            socket.Send(prefix);
            Assert.True(TestDaemon.ReadsToEof(socket));
        }

        using (var socket = daemon.Connect())
        {
            socket.Send([0xff, 0xff, 0xff, 0xff]);
            Assert.True(TestDaemon.ReadsToEof(socket));
        }

        daemon.GetStats();
    }

    [Fact]
    public async Task TruncatedFrame_ThenDisconnect_DaemonKeepsServing()
    {
        await using var daemon = await TestDaemon.StartAsync();
        var frame = TestDaemon.RecordFrame(Hit);
        for (var cut = 1; cut < frame.Length; cut += 7)
        {
            using var socket = daemon.Connect();
            socket.Send(frame.AsSpan(0, cut));
        }

        // Abrupt disconnect with unread data pending on our side (RST instead of FIN).
        using (var socket = daemon.Connect())
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Send(frame.AsSpan(0, 3));
        }

        Assert.Equal(0, daemon.GetStats().Stats.CompileRequests);
    }

    [Fact]
    public async Task SilentConnection_IsClosedAfterConnectionIdleTimeout()
    {
        await using var daemon = await TestDaemon.StartAsync(connectionIdleTimeout: TimeSpan.FromMilliseconds(200));
        using var socket = daemon.Connect();
        socket.Send(TestDaemon.RecordFrame(Hit).AsSpan(0, 5));
        Assert.True(TestDaemon.ReadsToEof(socket));
        await TestDaemon.WaitUntilAsync(() => daemon.Server!.ActiveConnections == 0);
    }

    [Fact]
    public async Task HundredConcurrentConnections_AllRecorded()
    {
        await using var daemon = await TestDaemon.StartAsync();
        var sockets = Enumerable.Range(0, 100).Select(_ => daemon.Connect()).ToList();
        await Task.WhenAll(sockets.Select(s => Task.Run(() =>
        {
            s.Send(TestDaemon.RecordFrame(Hit));
            s.Send(TestDaemon.Frame(MessageType.Ping));
            var buffer = new byte[64];
            Assert.True(s.Receive(buffer) > 0);
            s.Dispose();
        }))).WaitAsync(TestDaemon.Timeout);
        await TestDaemon.WaitUntilAsync(() => daemon.Server!.Stats.Snapshot().CompileRequests == 100);
        Assert.Equal(100, daemon.GetStats().Stats.CacheHits.Total);
    }

    [Fact]
    public async Task IdleTimeout_StopsDaemon()
    {
        await using var daemon = await TestDaemon.StartAsync(idleTimeoutSeconds: 1);
        await daemon.Server!.Completion.WaitAsync(TestDaemon.Timeout);
        Assert.Equal(DaemonStopReason.IdleTimeout, daemon.Server.StopReason);
        Assert.False(File.Exists(daemon.Options.ServerSocketPath));
    }

    [Fact]
    public async Task TwoServersOnOneSocket_OnlyOneWins_AndTheOtherCanTakeOverAfterwards()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        var servers = Enumerable.Range(0, 4).Select(_ => new DaemonServer(daemon.Options)).ToList();
        var results = await Task.WhenAll(servers.Select(s => Task.Run(() => s.StartAsync(CancellationToken.None))));
        Assert.Equal(1, results.Count(r => r == DaemonStartResult.Started));
        Assert.Equal(3, results.Count(r => r == DaemonStartResult.AlreadyRunning));
        var winner = servers[Array.IndexOf(results, DaemonStartResult.Started)];
        Assert.Equal(DaemonRequestStatus.Ok, DaemonClient.Request(daemon.Options, MessageType.Ping, null, TestDaemon.Timeout, out _));
        await winner.StopAsync().WaitAsync(TestDaemon.Timeout);

        await using var next = new DaemonServer(daemon.Options);
        Assert.Equal(DaemonStartResult.Started, await next.StartAsync(CancellationToken.None));
        Assert.Equal(DaemonRequestStatus.Ok, DaemonClient.Request(daemon.Options, MessageType.Ping, null, TestDaemon.Timeout, out _));
    }

    [Fact]
    public async Task StaleSocketFile_IsReplacedByLockHolder()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        Directory.CreateDirectory(Path.GetDirectoryName(daemon.Options.ServerSocketPath)!);
        // A crashed daemon leaves its socket file behind. A .NET socket deletes its path on dispose,
        // so bind, move the socket file aside, dispose, and move it back: a real, dead socket file.
        var aside = daemon.Options.ServerSocketPath + ".aside";
        using (var dead = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            dead.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(daemon.Options.ServerSocketPath));
            File.Move(daemon.Options.ServerSocketPath, aside);
        }

        File.Move(aside, daemon.Options.ServerSocketPath);

        Assert.True(File.Exists(daemon.Options.ServerSocketPath));
        await using var server = new DaemonServer(daemon.Options);
        Assert.Equal(DaemonStartResult.Started, await server.StartAsync(CancellationToken.None));
        Assert.Equal(DaemonRequestStatus.Ok, DaemonClient.Request(daemon.Options, MessageType.Ping, null, TestDaemon.Timeout, out _));
    }

    [Fact]
    public async Task RegularFileAtSocketPath_NotDeletedAndStartFails()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        Directory.CreateDirectory(Path.GetDirectoryName(daemon.Options.ServerSocketPath)!);
        await File.WriteAllTextAsync(daemon.Options.ServerSocketPath, "user data");

        await using var server = new DaemonServer(daemon.Options);

        Assert.Equal(DaemonStartResult.Failed, await server.StartAsync(CancellationToken.None));
        Assert.Equal("user data", await File.ReadAllTextAsync(daemon.Options.ServerSocketPath));
    }

    [Fact]
    public async Task TcpPort_ServesRequests()
    {
        await using var daemon = TestDaemon.CreateOptionsOnly();
        var port = FreePort();
        var options = daemon.Options with { ServerPort = port };
        await using var server = new DaemonServer(options);
        Assert.Equal(DaemonStartResult.Started, await server.StartAsync(CancellationToken.None));
        Assert.True(DaemonClient.TryRecordCompile(options, Hit, launcher: null, TimeSpan.Zero));
        await TestDaemon.WaitUntilAsync(() => server.Stats.Snapshot().CompileRequests == 1);
        await using var second = new DaemonServer(options);
        Assert.Equal(DaemonStartResult.AlreadyRunning, await second.StartAsync(CancellationToken.None));
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
