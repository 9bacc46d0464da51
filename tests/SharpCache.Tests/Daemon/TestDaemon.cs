using System.Buffers;
using System.Net.Sockets;
using SharpCache.Configuration;
using SharpCache.Daemon;
using SharpCache.Protocol;

namespace SharpCache.Tests.Daemon;

/// <summary>A fresh temp directory, options pointing into it, and optionally a running in-process daemon.</summary>
internal sealed class TestDaemon : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    static TestDaemon()
    {
        // The tests drive an async in-process server with synchronous client calls (that is what
        // the real client is) on a 2-core machine: without spare pool threads they starve it.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 128), Math.Max(io, 128));
    }

    private TestDaemon(string root, SharpCacheOptions options)
    {
        Root = root;
        Options = options;
    }

    public string Root { get; }

    public SharpCacheOptions Options { get; }

    public DaemonServer? Server { get; private set; }

    public static TestDaemon CreateOptionsOnly(int idleTimeoutSeconds = 0, int maxFrameLength = 64 * 1024)
    {
        var root = Path.Combine(Path.GetTempPath(), "scd-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var options = new SharpCacheOptions
        {
            CacheDirectory = Path.Combine(root, "cache"),
            ServerSocketPath = Path.Combine(root, "run", "server.sock"),
            IdleTimeoutSeconds = idleTimeoutSeconds,
            MaxFrameLength = maxFrameLength,
            MaxCacheSize = 1L << 30,
        };
        return new TestDaemon(root, options);
    }

    public static async Task<TestDaemon> StartAsync(int idleTimeoutSeconds = 0, int maxFrameLength = 64 * 1024, TimeSpan? connectionIdleTimeout = null, IRemoteTiers? remote = null, IDistCompiler? dist = null)
    {
        var daemon = CreateOptionsOnly(idleTimeoutSeconds, maxFrameLength);
        daemon.Server = new DaemonServer(daemon.Options, remote: remote, dist: dist) { ConnectionIdleTimeout = connectionIdleTimeout ?? TimeSpan.FromSeconds(30) };
        var result = await daemon.Server.StartAsync(CancellationToken.None);
        Assert.Equal(DaemonStartResult.Started, result);
        return daemon;
    }

    public Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(Options.ServerSocketPath));
        socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        socket.SendTimeout = (int)Timeout.TotalMilliseconds;
        return socket;
    }

    public static byte[] Frame(MessageType type, ReadOnlySpan<byte> payload = default)
    {
        var writer = new ArrayBufferWriter<byte>();
        FrameCodec.WriteFrame(writer, type, payload);
        return writer.WrittenSpan.ToArray();
    }

    public static byte[] RecordFrame(CompileRecord record)
    {
        var payload = new ArrayBufferWriter<byte>();
        CompileRecordCodec.Write(payload, record);
        return Frame(MessageType.RecordCompile, payload.WrittenSpan);
    }

    public ServerInfo GetStats()
    {
        var status = DaemonClient.Request(Options, MessageType.GetStats, launcher: null, Timeout, out var response);
        Assert.Equal(DaemonRequestStatus.Ok, status);
        Assert.Equal(MessageType.Stats, response!.Type);
        return response.Info!;
    }

    /// <summary>Polls until <paramref name="condition"/> holds (fire-and-forget messages land asynchronously).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }

    /// <summary>Reads until the peer closes; true if it closed (rather than timing out).</summary>
    public static bool ReadsToEof(Socket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.Receive(buffer) > 0)
            {
            }

            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync().AsTask().WaitAsync(Timeout);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
