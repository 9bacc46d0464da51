using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace SharpCache.Dist.Sandbox;

/// <summary>
/// Starts the sandbox processes, ahead of their jobs. What a sandbox needs before its command line is known
/// is done while the server waits for work: a fresh process-count group and the process's move into it
/// (a cgroup-v1 <c>cgroup.procs</c> write waits for an RCU grace period: 10-15 ms when jobs are apart),
/// a new network namespace (root only; bubblewrap then keeps it with <c>--share-net</c>), and the start of a
/// process. Each armed process is <c>sharpcache-dist-runner --arm</c> (Sandbox/Runner: one exec; with <c>unshare</c> and
/// <c>bash</c> arming took 2.3 ms of CPU per job) or, without the runner, a <c>bash</c> under <c>unshare</c>: it reads the path
/// of a file holding a NUL-separated command line from its stdin and execs that line: a job only writes its bubblewrap
/// command line. Without the runner and a usable bash (4.4+ for <c>mapfile -d ''</c>), each job starts its own
/// <c>/bin/sh</c> that joins the group.
/// </summary>
internal sealed class SandboxLauncher : IDisposable
{
    /// <summary>$0 is the group directory ("" for none); the marker makes a failure read as a sandbox failure (see <see cref="BubblewrapSandbox"/>).</summary>
    private const string JoinGroup = "[ -z \"$0\" ] || { echo $$ > \"$0/cgroup.procs\"; } 2>/dev/null || { echo \"bwrap: cannot join the job's pids cgroup $0\" >&2; exit 1; }; ";

    /// <summary>
    /// The armed process reads the path of a file holding the NUL-separated command line (NUL-terminated) from its stdin,
    /// then the file: bash reads a pipe one byte per system call, a regular file in blocks.
    /// </summary>
    private const string ArmedScript = JoinGroup + "read -r -d '' f && mapfile -d '' -t a < \"$f\" && [ ${#a[@]} -gt 0 ] && exec \"${a[@]}\"";

    private const string DirectScript = JoinGroup + "exec \"$@\"";

    /// <summary>How long after a sandbox process is done its group is removed and its replacement armed.</summary>
    private static readonly TimeSpan CleanUpDelay = TimeSpan.FromMilliseconds(20);

    private readonly ProcessCountLimit _limit;
    private readonly int _maxProcesses;
    private readonly string? _bash;
    private readonly string? _runner;
    private readonly bool _newNetwork;
    private readonly int _target;
    private readonly ConcurrentQueue<Launched> _armed = new();
    private readonly ConcurrentDictionary<Task, byte> _cleanups = new();
    private long _sequence;
    private volatile bool _disposed;

    private SandboxLauncher(ProcessCountLimit limit, int maxProcesses, string? bash, string? runner, bool newNetwork, int target)
    {
        _limit = limit;
        _maxProcesses = maxProcesses;
        _bash = bash;
        _runner = runner;
        _newNetwork = newNetwork;
        _target = Arms ? target : 0;
        for (var i = 0; i < _target; i++)
        {
            Replenish();
        }
    }

    /// <summary>True when each process is already in its own network namespace (bubblewrap must not make one: <c>--share-net</c>).</summary>
    public bool NewNetwork => _newNetwork;

    /// <summary>Whether processes are armed ahead (by the runner or bash); otherwise each job starts its own.</summary>
    private bool Arms => _runner is not null || _bash is not null;

    /// <summary>"armed by the runner", "armed by bash" or "direct", for the start-up log.</summary>
    public string Mode => _runner is not null ? "armed by the runner" : _bash is not null ? "armed by bash" : "direct";

    /// <summary>
    /// Probes a new network namespace (<c>unshare --net</c>: the same system call the runner makes) and, without
    /// <paramref name="runner"/>, bash; arms <paramref name="armed"/> processes.
    /// </summary>
    public static async Task<SandboxLauncher> CreateAsync(ProcessCountLimit limit, int maxProcesses, int armed, string? runner, CancellationToken cancellationToken)
    {
        var bash = runner is null && await ProbeAsync("bash", ["-c", "mapfile -d '' -t a < /dev/null"], cancellationToken).ConfigureAwait(false) ? "bash" : null;
        var newNetwork = Environment.UserName == "root"
            && await ProbeAsync("unshare", ["--net", "--", "/bin/sh", "-c", "exit 0"], cancellationToken).ConfigureAwait(false);
        return new SandboxLauncher(limit, maxProcesses, bash, runner, newNetwork, armed);
    }

    /// <summary>
    /// Starts <paramref name="command"/> (bubblewrap and its arguments) in a process of its own group; stdin is at EOF,
    /// unless <paramref name="keepInputOpen"/>: then the command reads what <see cref="Launched.SendLastAsync"/> writes.
    /// <paramref name="commandFile"/> is a path only the server writes (the job directory) where the command line is handed over.
    /// </summary>
    public async Task<Launched> StartAsync(IReadOnlyList<string> command, string commandFile, bool keepInputOpen = false)
    {
        if (!Arms)
        {
            return await LaunchAsync(command, keepInputOpen).ConfigureAwait(false);
        }

        while (true)
        {
            var fresh = !_armed.TryDequeue(out var armed);
            if (fresh)
            {
                armed = await LaunchAsync(null, keepInputOpen: false).ConfigureAwait(false);
            }

            if (await armed!.TrySendAsync(command, commandFile, keepInputOpen).ConfigureAwait(false) || fresh)
            {
                // A fresh process that died at once (Sent is false) has its reason on stderr for the caller.
                return armed;
            }

            armed.Discard(); // killed or died while waiting; take the next one
        }
    }

    /// <summary>The process ids of the armed processes waiting now (tests).</summary>
    internal IReadOnlyList<int> ArmedProcessIds() => [.. _armed.Select(a => a.Process.Id)];

    /// <summary>Kills the armed processes and waits (at most 2 s) until every group is removed, so the root can go too.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_armed.TryDequeue(out var armed))
        {
            armed.Discard();
        }

        Task.WaitAll([.. _cleanups.Keys], TimeSpan.FromSeconds(2));
    }

    /// <summary>
    /// After a sandbox process is done: its group is removed and a new process armed in its place, a moment later, so
    /// neither competes for the CPU with the job's answer (the kernel also needs that moment to reap the sandbox's init).
    /// </summary>
    private void CleanUp(ProcessCountLimit.Group group, bool replace)
    {
        var task = Task.Run(async () =>
        {
            await Task.Delay(CleanUpDelay).ConfigureAwait(false);
            group.Dispose();
            if (replace && !_disposed)
            {
                Replenish();
            }
        });
        _cleanups[task] = 0;
        task.ContinueWith(t => _cleanups.TryRemove(t, out _), TaskScheduler.Default);
    }

    private void Replenish()
    {
        _ = Task.Run(async () =>
        {
            if (_armed.Count >= _target)
            {
                return; // a burst armed extra processes for itself; the pool stays at its size
            }

            try
            {
                var armed = await LaunchAsync(null, keepInputOpen: false).ConfigureAwait(false);
                _armed.Enqueue(armed);
                if (_disposed && _armed.TryDequeue(out var late))
                {
                    late.Discard();
                }
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
            {
                // Jobs arm their own process when none is waiting; that path reports the error.
            }
        });
    }

    /// <summary>Starts an armed process (<paramref name="command"/> null) or, without the runner and bash, the command itself.</summary>
    private async Task<Launched> LaunchAsync(IReadOnlyList<string>? command, bool keepInputOpen)
    {
        var group = _limit.Open($"run-{Interlocked.Increment(ref _sequence)}", _maxProcesses);
        var args = new List<string>(group.Prefix);
        if (command is null && _runner is not null)
        {
            args.AddRange(_newNetwork ? [_runner, "--arm", "--net"] : [_runner, "--arm"]);
            args.Add(group.Directory ?? "");
        }
        else
        {
            if (_newNetwork)
            {
                args.AddRange(["unshare", "--net", "--"]);
            }

            args.AddRange([_bash ?? "/bin/sh", "-c", command is null ? ArmedScript : DirectScript, group.Directory ?? ""]);
            if (command is not null)
            {
                args.AddRange(command);
            }
        }

        var start = new ProcessStartInfo(args[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        // Nothing of the server's environment reaches the shell (BASH_ENV, ENV); bubblewrap clears it for the job anyway.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        var process = new Process { StartInfo = start };
        try
        {
            await ProcessLauncher.StartAsync(process).ConfigureAwait(false);
        }
        catch
        {
            process.Dispose();
            CleanUp(group, replace: false);
            throw;
        }

        var launched = new Launched(process, group, CleanUp) { Armed = command is null };
        if (command is not null && !keepInputOpen)
        {
            process.StandardInput.Close();
            launched.Sent = true;
        }

        return launched;
    }

    /// <summary>
    /// Keeps <paramref name="args"/> usable as a single command-line payload: bash's <c>mapfile -d ''</c> splits at NUL,
    /// so each argument is NUL-terminated.
    /// </summary>
    internal static byte[] Payload(IReadOnlyList<string> args)
    {
        var builder = new StringBuilder(args.Sum(a => a.Length + 1));
        foreach (var arg in args)
        {
            builder.Append(arg).Append('\0');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static async Task<bool> ProbeAsync(string file, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        (await ProcessLauncher.RunQuickAsync(file, args, cancellationToken).ConfigureAwait(false)).Code == 0;

    /// <summary>One sandbox process and its group. The owner disposes it after the process has exited.</summary>
    public sealed class Launched(Process process, ProcessCountLimit.Group group, Action<ProcessCountLimit.Group, bool> cleanUp) : IDisposable
    {
        public Process Process { get; } = process;

        public ProcessCountLimit.Group Group { get; } = group;

        /// <summary>Started ahead of its job (its place in the pool is filled again when it is done).</summary>
        internal bool Armed { get; init; }

        /// <summary>Whether the process got its command line; if not, it exited before (the reason is on its stderr).</summary>
        public bool Sent { get; internal set; }

        /// <summary>
        /// Hands an armed process its command line (through <paramref name="commandFile"/>); false if it has died meanwhile.
        /// With <paramref name="keepInputOpen"/> stdin stays open for <see cref="SendLastAsync"/> (the command reads it).
        /// </summary>
        internal async Task<bool> TrySendAsync(IReadOnlyList<string> command, string commandFile, bool keepInputOpen)
        {
            if (Process.HasExited)
            {
                return false;
            }

            File.WriteAllBytes(commandFile, Payload(command));
            try
            {
                var stdin = Process.StandardInput.BaseStream;
                await stdin.WriteAsync(Payload([commandFile])).ConfigureAwait(false);
                await stdin.FlushAsync().ConfigureAwait(false);
                if (!keepInputOpen)
                {
                    Process.StandardInput.Close();
                    Sent = true;
                }

                return true;
            }
            catch (IOException)
            {
                return false; // EPIPE: it exited between the check and the write
            }
        }

        /// <summary>Writes the last of the process's stdin and closes it (a prepared sandbox's job); false if it has died meanwhile.</summary>
        internal Task<bool> SendLastAsync(byte[] payload) => SendAsync(payload, last: true);

        /// <summary>Writes to the process's stdin, closing it after the <paramref name="last"/> write; false if it has died meanwhile.</summary>
        internal async Task<bool> SendAsync(byte[] payload, bool last)
        {
            try
            {
                var stdin = Process.StandardInput.BaseStream;
                await stdin.WriteAsync(payload).ConfigureAwait(false);
                await stdin.FlushAsync().ConfigureAwait(false);
                if (last)
                {
                    Process.StandardInput.Close();
                    Sent = true;
                }

                return true;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                return false; // EPIPE: it exited before reading its job
            }
        }

        /// <summary>Kills an unused process and removes its group, in the background.</summary>
        internal void Discard()
        {
            try
            {
                Process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            Dispose();
        }

        /// <summary>Kills anything left in the group and removes it off the job's path; releases the process.</summary>
        public void Dispose()
        {
            Process.Dispose();
            cleanUp(Group, Armed);
        }
    }
}
