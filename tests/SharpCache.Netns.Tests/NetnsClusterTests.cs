using System.Net.Sockets;
using SharpCache.TestServers.Netns;

namespace SharpCache.Netns.Tests;

public sealed class NetnsClusterTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Accepts one connection on ADDR:PORT, sends a line naming itself, exits.</summary>
    private const string Listener = """
        import socket, sys
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(4); s.settimeout(30)
        print("listening", flush=True)
        while True:
            c, peer = s.accept(); c.sendall(("hello from h1 to " + peer[0] + "\n").encode()); c.close()
        """;

    private const string Client = """
        import socket, sys
        c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
        print(c.recv(100).decode().strip())
        """;

    [Fact]
    public async Task FourHosts_ListenerInHost1_ReachableFromHost4ButNotFromRoot()
    {
        Assert.Null(NetnsCluster.UnsupportedReason());
        await using var cluster = await NetnsCluster.CreateAsync(4);
        Assert.Equal(4, cluster.Hosts.Count);
        Assert.Equal(4, cluster.Hosts.Select(h => h.Address.ToString()).Distinct().Count());
        var (h1, h4) = (cluster[1], cluster[4]);
        var listener = cluster.Start(h1, "python3", ["-c", Listener, h1.Address.ToString(), "7777"]);
        await WaitForAsync(() => listener.Log.Contains("listening", StringComparison.Ordinal), listener);

        var (exit, output) = await cluster.RunAsync(h4, "python3", ["-c", Client, h1.Address.ToString(), "7777"], CommandTimeout);
        Assert.True(exit == 0, output);
        Assert.Contains($"hello from h1 to {h4.Address}", output, StringComparison.Ordinal);

        // The root namespace has no address or route into the cluster: whatever its default route
        // does with the packets (this machine's proxy may even accept the TCP handshake), the
        // listener is never reached.
        Assert.DoesNotContain("hello from h1", await TryReadFromRootAsync(h1.Address, 7777), StringComparison.Ordinal);
        Assert.DoesNotContain($"{h1.Address.ToString()[..h1.Address.ToString().LastIndexOf('.')]}.0/24", (await Run("ip", "route")).Output, StringComparison.Ordinal);
    }

    private static async Task<string> TryReadFromRootAsync(System.Net.IPAddress address, int port)
    {
        using var socket = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await socket.ConnectAsync(address, port, cts.Token);
            var buffer = new byte[100];
            var read = await socket.GetStream().ReadAsync(buffer, cts.Token);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return e.Message;
        }
    }

    [Fact]
    public async Task Dispose_RemovesNamespacesAndKillsProcesses()
    {
        var cluster = await NetnsCluster.CreateAsync(2);
        var sleeper = cluster.Start(cluster[2], "sleep", ["300"]);
        var namespaces = cluster.Namespaces.ToList();
        Assert.Equal(3, namespaces.Count);
        Assert.All(namespaces, ns => Assert.True(File.Exists("/run/netns/" + ns), ns));
        await cluster.DisposeAsync();
        Assert.True(sleeper.HasExited);
        await AssertGoneAsync(namespaces);
    }

    [Fact]
    public async Task Dispose_AfterTestThrows_RemovesNamespaces()
    {
        List<string>? namespaces = null;
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var cluster = await NetnsCluster.CreateAsync(3);
            namespaces = [.. cluster.Namespaces];
            cluster.Start(cluster[1], "sleep", ["300"]);
            throw new InvalidOperationException("test failed mid-way");
        });
        Assert.NotNull(namespaces);
        await AssertGoneAsync(namespaces!);
    }

    [Fact]
    public async Task SweepLeftovers_RemovesOldPrefixedNamespaces_KeepsThisRunsOnes()
    {
        // A name as a cluster of yesterday would have made it.
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds();
        var stale = $"{NetnsCluster.Prefix}{yesterday:x}-{Random.Shared.Next(0x1000000):x6}-h1";
        Assert.Equal(0, (await Run("ip", "netns", "add", stale)).ExitCode);
        await using var current = await NetnsCluster.CreateAsync(1);

        Assert.True(await NetnsCluster.SweepLeftoversAsync() >= 1);
        Assert.False(File.Exists("/run/netns/" + stale));
        Assert.All(current.Namespaces, ns => Assert.True(File.Exists("/run/netns/" + ns), ns));
    }

    [Fact]
    public async Task CpuCap_BusyHost_IsThrottled()
    {
        await using var cluster = await NetnsCluster.CreateAsync(1, new NetnsClusterOptions { CpuCoresPerHost = 0.2 });
        var host = cluster[1];
        if (host.CpuCgroup is null)
        {
            // No cgroup CPU controller here: the cap is optional, and the cluster says why.
            Assert.NotNull(cluster.CpuCapUnavailableReason);
            return;
        }

        var (exit, output) = await cluster.RunAsync(host, "sh", ["-c", "end=$(($(date +%s)+2)); while [ $(date +%s) -lt $end ]; do :; done; echo done"], CommandTimeout);
        Assert.True(exit == 0, output);
        var stat = await File.ReadAllLinesAsync(Path.Combine(host.CpuCgroup, "cpu.stat"));
        var throttled = stat.Select(line => line.Split(' ')).First(parts => parts[0] == "nr_throttled")[1];
        Assert.True(long.Parse(throttled, System.Globalization.CultureInfo.InvariantCulture) > 0, string.Join('\n', stat));
    }

    internal static async Task WaitForAsync(Func<bool> condition, NetnsProcess process, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.False(process.HasExited, $"process exited early: {process.Log}");
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting; log: {process.Log}");
            await Task.Delay(50);
        }
    }

    private static async Task AssertGoneAsync(IEnumerable<string> namespaces)
    {
        var (_, list) = await Run("ip", "netns", "list");
        foreach (var ns in namespaces)
        {
            Assert.False(File.Exists("/run/netns/" + ns), ns);
            Assert.DoesNotContain(ns, list, StringComparison.Ordinal);
        }
    }

    internal static Task<(int ExitCode, string Output)> Run(string executable, params string[] arguments) => Run(CommandTimeout, executable, arguments);

    internal static async Task<(int ExitCode, string Output)> Run(TimeSpan timeout, string executable, params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
