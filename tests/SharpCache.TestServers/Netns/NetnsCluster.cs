using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace SharpCache.TestServers.Netns;

/// <summary>
/// N simulated machines on one box (DESIGN.md §5), for multi-host tests; needs root and iproute2.
/// Each host is a network namespace <c>scn-&lt;run&gt;-h&lt;i&gt;</c> with loopback up and an <c>eth0</c>
/// at <c>10.a.b.i/24</c> (a and b random per cluster), joined by veth pairs to a bridge living in its
/// own namespace <c>scn-&lt;run&gt;-br</c>. No link or address is made in the root namespace, so the
/// test process itself cannot reach the hosts. Every link lives inside a namespace the cluster
/// made, so deleting its namespaces removes everything. <see cref="DisposeAsync"/> kills the
/// cluster's processes (and anything else left in its namespaces), deletes its namespaces and CPU
/// cgroups; a failed <see cref="CreateAsync"/> does the same before it throws.
/// <see cref="SweepLeftoversAsync"/> removes what crashed runs left behind; the first cluster of a
/// process runs it.
/// </summary>
public sealed class NetnsCluster : IAsyncDisposable
{
    /// <summary>Prefix of every namespace and cgroup a cluster makes.</summary>
    public const string Prefix = "scn-";

    private const int CfsPeriodMicroseconds = 100_000;
    private static int _swept;
    private readonly List<NetnsProcess> _processes = [];
    private readonly List<string> _namespaces = [];
    private readonly List<string> _cgroups = [];
    private readonly TimeSpan _timeout;
    private bool _disposed;

    private NetnsCluster(string runId, TimeSpan timeout)
    {
        RunId = runId;
        _timeout = timeout;
        BridgeNamespace = $"{Prefix}{runId}-br";
    }

    /// <summary>Id in every name this cluster makes: its creation time (Unix seconds, hex) and a random part, <c>69277f1c-a1b2c3</c>.</summary>
    public string RunId { get; }

    public string BridgeNamespace { get; }

    /// <summary>Hosts 1..N (index 0 of the list is host 1).</summary>
    public IReadOnlyList<NetnsHost> Hosts { get; private set; } = [];

    /// <summary>Every namespace this cluster made (hosts and bridge).</summary>
    public IReadOnlyList<string> Namespaces => _namespaces;

    /// <summary>Why hosts have no CPU cap although one was asked for; null when capped or not asked.</summary>
    public string? CpuCapUnavailableReason { get; private set; }

    /// <summary>Null when this process can build clusters, else why not (not root, no iproute2).</summary>
    public static string? UnsupportedReason() =>
        !OperatingSystem.IsLinux() ? "network namespaces need Linux"
        : !Environment.IsPrivilegedProcess ? "network namespaces need root"
        : !File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip") ? "iproute2 ('ip') is not installed (scripts/deps/netns.sh)"
        : null;

    /// <summary>The host with 1-based <paramref name="index"/>.</summary>
    public NetnsHost this[int index] => Hosts[index - 1];

    public static async Task<NetnsCluster> CreateAsync(int hosts, NetnsClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hosts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hosts, 250);
        options ??= new NetnsClusterOptions();
        if (UnsupportedReason() is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        if (Interlocked.Exchange(ref _swept, 1) == 0)
        {
            await SweepLeftoversAsync(options.CommandTimeout).ConfigureAwait(false);
        }

        var runId = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
        var cluster = new NetnsCluster(runId, options.CommandTimeout);
        try
        {
            await cluster.BuildAsync(hosts, options, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="executable"/> in <paramref name="host"/>'s namespace (and CPU cgroup),
    /// with the test process's environment plus <paramref name="environment"/>.
    /// </summary>
    public NetnsProcess Start(NetnsHost host, string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(arguments);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var info = new ProcessStartInfo(host.CpuCgroup is null ? "ip" : "sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (host.CpuCgroup is not null)
        {
            // Join the cgroup before exec, so no CPU is spent outside the cap.
            foreach (var argument in new[] { "-c", "echo $$ > \"$1/cgroup.procs\" && shift && exec \"$@\"", "sh", host.CpuCgroup })
            {
                info.ArgumentList.Add(argument);
            }

            info.ArgumentList.Add("ip");
        }

        foreach (var argument in (string[])["netns", "exec", host.Namespace, executable, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new NetnsProcess(host, Process.Start(info) ?? throw new InvalidOperationException($"cannot start {executable} in {host.Namespace}"));
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Runs a command in <paramref name="host"/> to completion; throws <see cref="TimeoutException"/> past <paramref name="timeout"/>.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(NetnsHost host, string executable, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = Start(host, executable, arguments, environment);
        if (!await process.WaitForExitAsync(timeout).ConfigureAwait(false))
        {
            process.Kill();
            throw new TimeoutException($"'{executable}' in {host.Namespace} did not finish within {timeout.TotalSeconds} s: {process.Log}");
        }

        // Let the output readers drain.
        await Task.Delay(50).ConfigureAwait(false);
        return (process.ExitCode, process.Log);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_processes)
        {
            foreach (var process in _processes)
            {
                process.Dispose();
            }

            _processes.Clear();
        }

        foreach (var name in _namespaces)
        {
            await RemoveNamespaceAsync(name, _timeout).ConfigureAwait(false);
        }

        foreach (var cgroup in _cgroups)
        {
            await RemoveCgroupAsync(cgroup).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes namespaces and CPU cgroups with the <see cref="Prefix"/> made more than a second before this
    /// process started (left by a crashed or killed run), by the creation time in their name (or the file's
    /// time for a name without one): their processes are killed first. Returns how many it removed.
    /// </summary>
    public static async Task<int> SweepLeftoversAsync(TimeSpan? timeout = null)
    {
        var bound = timeout ?? TimeSpan.FromSeconds(20);
        // A second before this process started: the names carry whole seconds, so a cluster this process makes in its first
        // second (another test's, while this sweep runs) is named before the exact start time and would be taken for a leftover.
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime().AddSeconds(-1);
        var removed = 0;
        if (Directory.Exists("/run/netns"))
        {
            foreach (var path in Directory.EnumerateFiles("/run/netns", Prefix + "*"))
            {
                if (CreatedAt(path, File.GetLastWriteTimeUtc(path)) < started)
                {
                    await RemoveNamespaceAsync(Path.GetFileName(path), bound).ConfigureAwait(false);
                    removed++;
                }
            }
        }

        foreach (var root in CgroupRoots())
        {
            foreach (var path in Directory.EnumerateDirectories(root, Prefix + "*"))
            {
                if (CreatedAt(path, Directory.GetLastWriteTimeUtc(path)) < started)
                {
                    await RemoveCgroupAsync(path).ConfigureAwait(false);
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>The time in a <c>scn-&lt;unix seconds hex&gt;-…</c> name, else <paramref name="fallback"/>.</summary>
    private static DateTime CreatedAt(string path, DateTime fallback)
    {
        var name = Path.GetFileName(path)[Prefix.Length..];
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && long.TryParse(name.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 1L << 40
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime
            : fallback;
    }

    private async Task BuildAsync(int hosts, NetnsClusterOptions options, CancellationToken cancellationToken)
    {
        var subnet = (A: RandomNumberGenerator.GetInt32(1, 255), B: RandomNumberGenerator.GetInt32(0, 255));
        await AddNamespaceAsync(BridgeNamespace).ConfigureAwait(false);
        await IpAsync("-n", BridgeNamespace, "link", "add", "br0", "type", "bridge").ConfigureAwait(false);
        await IpAsync("-n", BridgeNamespace, "link", "set", "br0", "up").ConfigureAwait(false);
        string? cgroupRoot = null;
        if (options.CpuCoresPerHost is not null)
        {
            cgroupRoot = CpuCgroupRoot(out var why);
            CpuCapUnavailableReason = why;
        }

        var list = new List<NetnsHost>();
        for (var i = 1; i <= hosts; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ns = $"{Prefix}{RunId}-h{i}";
            await AddNamespaceAsync(ns).ConfigureAwait(false);
            var address = new IPAddress([10, (byte)subnet.A, (byte)subnet.B, (byte)i]);
            await IpAsync("-n", ns, "link", "set", "lo", "up").ConfigureAwait(false);
            await IpAsync("-n", BridgeNamespace, "link", "add", $"v{i}", "type", "veth", "peer", "name", "eth0", "netns", ns).ConfigureAwait(false);
            await IpAsync("-n", BridgeNamespace, "link", "set", $"v{i}", "master", "br0").ConfigureAwait(false);
            await IpAsync("-n", BridgeNamespace, "link", "set", $"v{i}", "up").ConfigureAwait(false);
            await IpAsync("-n", ns, "addr", "add", $"{address}/24", "dev", "eth0").ConfigureAwait(false);
            await IpAsync("-n", ns, "link", "set", "eth0", "up").ConfigureAwait(false);
            list.Add(new NetnsHost(i, ns, address, cgroupRoot is null ? null : CreateCpuCgroup(cgroupRoot, ns, options.CpuCoresPerHost!.Value)));
        }

        Hosts = list;
    }

    private async Task AddNamespaceAsync(string name)
    {
        await IpAsync("netns", "add", name).ConfigureAwait(false);
        _namespaces.Add(name);
    }

    private Task<string> IpAsync(params string[] arguments) => IpCommand.RunAsync(_timeout, "ip", arguments);

    private string CreateCpuCgroup(string root, string name, double cores)
    {
        var path = Path.Combine(root, name);
        Directory.CreateDirectory(path);
        _cgroups.Add(path);
        var quota = Math.Max(1000, (long)(cores * CfsPeriodMicroseconds));
        if (File.Exists(Path.Combine(path, "cpu.max")))
        {
            File.WriteAllText(Path.Combine(path, "cpu.max"), string.Create(CultureInfo.InvariantCulture, $"{quota} {CfsPeriodMicroseconds}"));
        }
        else
        {
            File.WriteAllText(Path.Combine(path, "cpu.cfs_period_us"), CfsPeriodMicroseconds.ToString(CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(path, "cpu.cfs_quota_us"), quota.ToString(CultureInfo.InvariantCulture));
        }

        return path;
    }

    /// <summary>The writable cgroup directory with a CPU controller: v1 <c>/sys/fs/cgroup/cpu</c> or the v2 root.</summary>
    private static string? CpuCgroupRoot(out string? why)
    {
        why = null;
        foreach (var root in CgroupRoots())
        {
            var probe = Path.Combine(root, Prefix + "probe-" + Environment.ProcessId);
            try
            {
                Directory.CreateDirectory(probe);
                var usable = File.Exists(Path.Combine(probe, "cpu.cfs_quota_us")) || File.Exists(Path.Combine(probe, "cpu.max"));
                Directory.Delete(probe);
                if (usable)
                {
                    return root;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                why = $"cannot create a cgroup under {root}: {e.Message}";
            }
        }

        why ??= "no cgroup with a CPU controller (v1 cpu.cfs_quota_us or v2 cpu.max) on this machine";
        return null;
    }

    private static IEnumerable<string> CgroupRoots()
    {
        if (File.Exists("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") || File.Exists("/sys/fs/cgroup/cpu/cgroup.procs"))
        {
            yield return "/sys/fs/cgroup/cpu";
        }
        else if (File.Exists("/sys/fs/cgroup/cgroup.controllers") && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split(' ', '\n').Contains("cpu"))
        {
            yield return "/sys/fs/cgroup";
        }
    }

    private static async Task RemoveNamespaceAsync(string name, TimeSpan timeout)
    {
        var (_, pids) = await IpCommand.TryRunAsync(timeout, "ip", "netns", "pids", name).ConfigureAwait(false);
        foreach (var line in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                await IpCommand.TryRunAsync(timeout, "kill", "-9", line).ConfigureAwait(false);
            }
        }

        await IpCommand.TryRunAsync(timeout, "ip", "netns", "del", name).ConfigureAwait(false);
    }

    private static async Task RemoveCgroupAsync(string path)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                var procs = Path.Combine(path, "cgroup.procs");
                if (File.Exists(procs))
                {
                    foreach (var line in File.ReadAllLines(procs))
                    {
                        if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                        {
                            try
                            {
                                Process.GetProcessById(pid).Kill(entireProcessTree: true);
                            }
                            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                            {
                                // Exited meanwhile.
                            }
                        }
                    }
                }

                Directory.Delete(path);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException)
            {
                // Processes still leaving the group (EBUSY).
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }
}
