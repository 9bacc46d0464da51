using System.Buffers.Binary;
using System.Net.Sockets;
using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Robustness;

/// <summary>Spec 13: malformed bytes on the real daemon's socket neither crash nor wedge it.</summary>
public sealed class DaemonProtocolTests
{
    [Fact]
    public void Daemon_MalformedFrames_KeepsServingStatsAndCompiles()
    {
        using var env = new TestEnvironment();
        var start = env.SharpCache("--start-server");
        Assert.True(start.ExitCode == 0, start.Describe() + env.DaemonLogTail());
        var daemonsBefore = DaemonProcesses.Daemons(env.SocketPath);
        Assert.True(daemonsBefore.Count == 1, $"expected one daemon after --start-server, found {daemonsBefore.Count}");

        var random = new Random(42);
        var garbage = new byte[256];
        random.NextBytes(garbage);
        var hugeBigEndian = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(hugeBigEndian, 0x7fffffff);
        var hugeLittleEndian = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(hugeLittleEndian, 0x7fffffff);
        var truncated = new byte[14];
        BinaryPrimitives.WriteInt32BigEndian(truncated, 100);
        var negative = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(negative, -1);

        foreach (var payload in new[] { garbage, hugeBigEndian, hugeLittleEndian, truncated, negative, [0x00], "GET / HTTP/1.1\r\n\r\n"u8.ToArray() })
        {
            SendAndClose(env.SocketPath, payload);
        }

        for (var i = 0; i < 50; i++)
        {
            using var s = Connect(env.SocketPath);
        }

        // A client that sends half a frame and then stalls must not block everyone else.
        using var stalled = Connect(env.SocketPath);
        stalled.Send(truncated.AsSpan(0, 2));

        var stats = env.RunIn(env.WorkDir, TestEnvironment.Binary, ["--show-stats", "--stats-format", "json"], timeout: TimeSpan.FromSeconds(15));
        Assert.True(stats.ExitCode == 0, "-s after malformed input: " + stats.Describe() + env.DaemonLogTail());
        Assert.Equal(daemonsBefore, DaemonProcesses.Daemons(env.SocketPath));
        Assert.True(ResidentKiB(daemonsBefore[0]) < 512 * 1024, "daemon memory blew up after a huge length prefix");

        Sources.WriteFor(env, "gcc");
        var compile = env.Cached("gcc", "-c", "src.c", "-o", "out.o");
        Assert.True(compile.ExitCode == 0, compile.Describe());
        var after = env.WaitForStats(1);
        Assert.True(after.CacheMisses == 1, after.Json);
        Assert.Equal(daemonsBefore, DaemonProcesses.Daemons(env.SocketPath));
    }

    private static Socket Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static void SendAndClose(string path, byte[] payload)
    {
        using var socket = Connect(path);
        try
        {
            socket.Send(payload);
            socket.Shutdown(SocketShutdown.Send);
            socket.ReceiveTimeout = 2000;
            var buffer = new byte[4096];
            while (socket.Receive(buffer) > 0)
            {
                // Drain whatever error reply the daemon sends until it closes.
            }
        }
        catch (SocketException)
        {
            // The daemon dropping the connection (reset, timeout) is an acceptable answer.
        }
    }

    private static long ResidentKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
