using System.Collections.Concurrent;

namespace SharpCache.Dist.Sandbox;

/// <summary>
/// Sandboxes set up before their jobs. bubblewrap is started with a toolchain's layout and a job directory whose top-level
/// directories are those of the toolchain's previous jobs, and runs <c>sharpcache-dist-runner</c> (Sandbox/Runner), which
/// reports ready and then waits for a job's working directory, environment and command line on its stdin. A job whose
/// tree fits (each of its top-level entries is one of those directories, or <c>tmp</c>) is unpacked into that directory
/// and only writes its command line: bubblewrap's set-up (namespaces and about twenty mounts: 3-4 ms here) and the shell
/// that hands bubblewrap its arguments are off the job's path. A job that does not fit runs the usual way
/// (<see cref="BubblewrapSandbox"/>), in the same directory; the sandbox prepared after it has its shape.
/// <para/>
/// At most one per job slot and one more, shared by all toolchains (a new toolchain's replaces the oldest of another);
/// each pins its toolchain in the cache until it is used or released (<see cref="ReleaseIdle"/>, when an upload needs
/// the room). The sandbox is the one a job would get: the same namespaces, process-count group, limits and read-only root;
/// its writable directories are the job directory's, as in the usual layout.
/// </summary>
internal sealed class PreparedSandboxes : IDisposable
{
    /// <summary>Where the runner is bound inside a prepared sandbox.</summary>
    public const string RunnerPath = "/.sharpcache-dist-runner";

    /// <summary>The runner's file name beside the server's assembly (built with it: SharpCache.Dist.csproj).</summary>
    public const string RunnerFileName = "sharpcache-dist-runner";

    /// <summary>Top-level directories a prepared job directory offers, at most (the newest job's first).</summary>
    private const int MaxNames = 16;

    /// <summary>Preparations that fail in a row before the server stops preparing (and says why once).</summary>
    private const int MaxFailures = 3;

    /// <summary>
    /// How long after a job its replacement is prepared: its answer goes out first. (Set up beside the job instead, the
    /// next sandbox took the CPU from the compile: on 2 cores tiny.c compiled 1.3 ms slower.)
    /// </summary>
    private static readonly TimeSpan PrepareDelay = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="Dispose"/> waits for preparations in flight (one may be waiting for its runner's ready byte).</summary>
    private static readonly TimeSpan DrainTimeout = ReadyTimeout + TimeSpan.FromSeconds(5);

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "proc", "dev", "tmp", RunnerPath[1..] };

    private readonly Func<string, string, Task<SandboxLauncher.Launched?>> _start;
    private readonly Func<string> _newJobDirectory;
    private readonly Action<string> _disabled;
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private readonly List<Prepared> _ready = [];
    private readonly ConcurrentDictionary<string, HashSet<string>> _toolchainNames = new(StringComparer.Ordinal);
    private long _used;
    private int _pending;

    /// <summary>Set while no preparation is in flight: <see cref="Dispose"/> waits for it.</summary>
    private readonly ManualResetEventSlim _drained = new(initialState: true);
    private int _failures;
    private bool _stopped;

    /// <param name="start">Starts bubblewrap with the runner for (toolchain root, job directory); null on a layout conflict.</param>
    /// <param name="newJobDirectory">Creates an empty job directory (with <c>root/tmp</c>) and returns it.</param>
    /// <param name="disabled">Told once why preparing stopped.</param>
    /// <param name="capacity">Prepared sandboxes kept at most.</param>
    public PreparedSandboxes(Func<string, string, Task<SandboxLauncher.Launched?>> start, Func<string> newJobDirectory, Action<string> disabled, int capacity)
    {
        _start = start;
        _newJobDirectory = newJobDirectory;
        _disabled = disabled;
        _capacity = capacity;
    }

    /// <summary>The runner beside the server's assembly, or null when it was not built (no C compiler at build time).</summary>
    public static string? FindRunner()
    {
        var path = Path.Combine(AppContext.BaseDirectory, RunnerFileName);
        return File.Exists(path) && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0 ? path : null;
    }

    /// <summary>Jobs that ran in a prepared sandbox (tests).</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>Prepared sandboxes waiting now (tests).</summary>
    internal int ReadyCount
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count;
            }
        }
    }

    /// <summary>The job directories of the prepared sandboxes waiting now (tests).</summary>
    internal List<string> ReadyJobDirectories()
    {
        lock (_lock)
        {
            return [.. _ready.Select(p => p.JobDir)];
        }
    }

    /// <summary>A ready sandbox for <paramref name="toolchainRoot"/> (the newest), taken out of the pool; null if none.</summary>
    public Prepared? Take(string toolchainRoot)
    {
        lock (_lock)
        {
            for (var i = _ready.Count - 1; i >= 0; i--)
            {
                if (_ready[i].ToolchainRoot == toolchainRoot)
                {
                    var prepared = _ready[i];
                    _ready.RemoveAt(i);
                    return prepared;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The top-level names of a job's tree other than <c>tmp</c>, when every one is a directory (what a prepared sandbox
    /// can offer); null otherwise (a file or link at the top).
    /// </summary>
    public static IReadOnlyList<string>? TopLevelDirectories(string jobRoot)
    {
        var names = new List<string>();
        foreach (var entry in new DirectoryInfo(jobRoot).EnumerateFileSystemInfos())
        {
            if (entry is not DirectoryInfo || entry.LinkTarget is not null)
            {
                return null;
            }

            if (entry.Name != "tmp")
            {
                names.Add(entry.Name);
            }
        }

        return names;
    }

    /// <summary>
    /// After a job of <paramref name="toolchainRoot"/> whose tree had <paramref name="names"/> at the top: prepares a sandbox
    /// for the next one (in the background, a moment later), with those directories and those of the sandbox the job used. <paramref name="pin"/> pins the toolchain (null if it is gone). Nothing when the pool is full of this
    /// toolchain's, or when the job's tree cannot be offered (a file at the top, a name the toolchain has).
    /// </summary>
    public void PrepareNext(string toolchainRoot, Func<IDisposable?> pin, IReadOnlyList<string>? names, IReadOnlyCollection<string>? previous, string? workingDirectory = null)
    {
        if (names is null)
        {
            return;
        }

        var toolchain = _toolchainNames.GetOrAdd(toolchainRoot, root => new HashSet<string>(
            new DirectoryInfo(root).EnumerateFileSystemInfos().Select(e => e.Name), StringComparer.Ordinal));
        if (names.Any(n => toolchain.Contains(n) || Reserved.Contains(n)))
        {
            return;
        }

        var offered = names.Concat(previous ?? []).Where(n => !toolchain.Contains(n) && !Reserved.Contains(n))
            .Distinct(StringComparer.Ordinal).Take(MaxNames).ToList();
        Prepared? evicted = null;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            if (_ready.Count + _pending >= _capacity)
            {
                var other = _ready.FindIndex(p => p.ToolchainRoot != toolchainRoot);
                if (other < 0)
                {
                    return;
                }

                evicted = _ready[other];
                _ready.RemoveAt(other);
            }

            _pending++;
            _drained.Reset();
        }

        evicted?.Discard(keepDirectory: false);
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(PrepareDelay).ConfigureAwait(false);
                await PrepareAsync(toolchainRoot, pin, offered, WorkingDirectoryFor(workingDirectory, offered)).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    if (--_pending == 0)
                    {
                        _drained.Set();
                    }
                }
            }
        });
    }

    /// <summary>Releases every waiting sandbox and its toolchain pin (an upload needs room in the toolchain cache).</summary>
    public void ReleaseIdle()
    {
        List<Prepared> released;
        lock (_lock)
        {
            released = [.. _ready];
            _ready.Clear();
        }

        foreach (var prepared in released)
        {
            prepared.Discard(keepDirectory: false);
        }
    }

    /// <summary>
    /// Stops preparing, releases the waiting sandboxes and waits (at most <see cref="DrainTimeout"/>) for the preparations in
    /// flight: each then finds the pool stopped and removes its sandbox and directory, so nothing is left behind in
    /// <c>build_dir</c> once the server has stopped.
    /// </summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
        }

        ReleaseIdle();
        if (_drained.Wait(DrainTimeout))
        {
            _drained.Dispose(); // else a late preparation still sets it
        }
    }

    /// <summary>Whether the pool has stopped (disposed, or preparing switched off).</summary>
    private bool Stopped
    {
        get
        {
            lock (_lock)
            {
                return _stopped;
            }
        }
    }

    /// <summary>
    /// The last job's working directory (absolute, checked clean by the server), relative to the job tree, when it lies under
    /// one of the <paramref name="offered"/> directories and is not too deep; else null.
    /// </summary>
    internal static string? WorkingDirectoryFor(string? workingDirectory, IReadOnlyList<string> offered)
    {
        if (workingDirectory is null || !workingDirectory.StartsWith('/'))
        {
            return null;
        }

        var parts = workingDirectory.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length is > 1 and <= MaxWorkingDirectoryDepth && offered.Contains(parts[0]) && !parts.Any(p => p is "." or "..")
            ? string.Join('/', parts)
            : null;
    }

    /// <summary>Deepest working directory created ahead.</summary>
    private const int MaxWorkingDirectoryDepth = 32;

    private async Task PrepareAsync(string toolchainRoot, Func<IDisposable?> pin, IReadOnlyList<string> names, string? workingDirectory)
    {
        if (Stopped)
        {
            return;
        }

        var held = pin();
        if (held is null)
        {
            return; // evicted meanwhile
        }

        string? jobDir = null;
        SandboxLauncher.Launched? launched;
        try
        {
            jobDir = _newJobDirectory();
            foreach (var name in names)
            {
                Directory.CreateDirectory(Path.Combine(jobDir, "root", name));
            }

            // And, empty, the last job's working directory: the next job of a build most likely runs in it, and its
            // directories are then there when its inputs are unpacked (each new directory cost ~30 us on the job's path).
            if (workingDirectory is not null)
            {
                Directory.CreateDirectory(Path.Combine(jobDir, "root", workingDirectory));
            }

            launched = await _start(toolchainRoot, jobDir).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            held.Dispose();
            if (jobDir is not null)
            {
                JobDirectories.TryDelete(jobDir);
            }

            Failed($"cannot start a prepared sandbox: {e.Message}");
            return;
        }

        if (launched is null)
        {
            held.Dispose();
            JobDirectories.TryDelete(jobDir);
            return; // the layout conflicts; jobs of this shape run the usual way
        }

        var prepared = new Prepared(this, toolchainRoot, jobDir, names, launched, held);
        if (!await prepared.WaitReadyAsync().ConfigureAwait(false))
        {
            var reason = await prepared.FailureAsync().ConfigureAwait(false);
            prepared.Discard(keepDirectory: false);
            Failed(reason);
            return;
        }

        bool stopped;
        lock (_lock)
        {
            _failures = 0;
            stopped = _stopped;
            if (!stopped)
            {
                _ready.Add(prepared);
            }
        }

        if (stopped)
        {
            prepared.Discard(keepDirectory: false);
        }
    }

    private void Failed(string reason)
    {
        bool disable;
        lock (_lock)
        {
            disable = ++_failures == MaxFailures && !_stopped;
            if (disable)
            {
                _stopped = true;
            }
        }

        if (disable)
        {
            _disabled($"{MaxFailures} sandboxes in a row could not be prepared; jobs start their own: {reason}");
        }
    }

    /// <summary>One prepared sandbox: its job directory, the top-level directories it offers, its process and its toolchain pin.</summary>
    public sealed class Prepared
    {
        private const int Idle = 0;
        private const int Started = 1;
        private const int Discarded = 2;
        private const int Armed = 3;

        /// <summary>The runner's go byte: the job armed before it starts.</summary>
        private static readonly byte[] Go = [(byte)'G'];

        private readonly PreparedSandboxes _owner;
        private readonly IDisposable _pin;
        private readonly HashSet<string> _names;
        private int _state;

        internal Prepared(PreparedSandboxes owner, string toolchainRoot, string jobDir, IReadOnlyList<string> names, SandboxLauncher.Launched launched, IDisposable pin)
        {
            _owner = owner;
            ToolchainRoot = toolchainRoot;
            JobDir = jobDir;
            _names = new HashSet<string>(names, StringComparer.Ordinal);
            Launched = launched;
            _pin = pin;
        }

        public string ToolchainRoot { get; }

        /// <summary>The job directory (<c>root/</c> is bound into the sandbox): the job's inputs are unpacked here.</summary>
        public string JobDir { get; }

        /// <summary>The top-level directories the sandbox offers.</summary>
        public IReadOnlyCollection<string> Names => _names;

        internal SandboxLauncher.Launched Launched { get; }

        /// <summary>Whether a job tree with <paramref name="names"/> at the top (from <see cref="TopLevelDirectories"/>) fits.</summary>
        public bool Fits(IReadOnlyList<string>? names) => names is not null && names.All(_names.Contains);

        /// <summary>Hands the runner its job and starts it; false (and the sandbox released, its directory kept) when it died meanwhile.</summary>
        public async Task<bool> StartAsync(byte[] job)
        {
            if (Interlocked.CompareExchange(ref _state, Started, Idle) != Idle)
            {
                return false;
            }

            _pin.Dispose(); // the job holds its own lease
            return await SentAsync(Launched.SendLastAsync([.. RunnerFrame(job), .. Go])).ConfigureAwait(false);
        }

        /// <summary>
        /// Hands the runner its job without starting it (<see cref="GoAsync"/> does): the job's inputs may still be arriving.
        /// False when it died meanwhile (then released, its directory kept) or was taken already.
        /// </summary>
        public async Task<bool> ArmAsync(byte[] job)
        {
            if (Interlocked.CompareExchange(ref _state, Armed, Idle) != Idle)
            {
                return false;
            }

            if (await Launched.SendAsync(RunnerFrame(job), last: false).ConfigureAwait(false))
            {
                return true;
            }

            Discard(keepDirectory: true);
            return false;
        }

        /// <summary>Starts the job handed over by <see cref="ArmAsync"/>; false (the sandbox released) when it died meanwhile.</summary>
        public async Task<bool> GoAsync()
        {
            if (Interlocked.CompareExchange(ref _state, Started, Armed) != Armed)
            {
                return false;
            }

            _pin.Dispose(); // the job holds its own lease
            return await SentAsync(Launched.SendLastAsync(Go)).ConfigureAwait(false);
        }

        private async Task<bool> SentAsync(Task<bool> send)
        {
            if (await send.ConfigureAwait(false))
            {
                Interlocked.Increment(ref _owner._used);
                return true;
            }

            Launched.Discard();
            return false;
        }

        /// <summary>The job as the runner reads it: its length (4 bytes, big-endian), then the job.</summary>
        private static byte[] RunnerFrame(byte[] job)
        {
            var frame = new byte[4 + job.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame, job.Length);
            job.CopyTo(frame, 4);
            return frame;
        }

        /// <summary>Kills an unused (or only armed) sandbox and releases its pin; no effect once its job started or when already released.</summary>
        public void Discard(bool keepDirectory)
        {
            if (Interlocked.CompareExchange(ref _state, Discarded, Idle) != Idle && Interlocked.CompareExchange(ref _state, Discarded, Armed) != Armed)
            {
                return;
            }

            _pin.Dispose();
            Launched.Discard();
            if (keepDirectory)
            {
                return;
            }

            if (_owner.Stopped)
            {
                JobDirectories.TryDelete(JobDir); // the server is stopping: gone before it has
            }
            else
            {
                _ = Task.Run(() => JobDirectories.TryDelete(JobDir));
            }
        }

        /// <summary>Waits for the runner's ready byte on stdout (bubblewrap's set-up is done).</summary>
        internal async Task<bool> WaitReadyAsync()
        {
            using var timeout = new CancellationTokenSource(ReadyTimeout);
            var marker = new byte[1];
            try
            {
                return await Launched.Process.StandardOutput.BaseStream.ReadAsync(marker, timeout.Token).ConfigureAwait(false) == 1 && marker[0] == (byte)'R';
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                return false;
            }
        }

        /// <summary>Why a sandbox did not get ready (its stderr, once it has exited).</summary>
        internal async Task<string> FailureAsync()
        {
            try
            {
                Launched.Process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already exited (the usual case: bubblewrap refused).
            }

            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var text = (await Launched.Process.StandardError.ReadToEndAsync(timeout.Token).ConfigureAwait(false)).Trim();
                return text.Length > 0 ? text : "it exited without a word";
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
                return "it did not report ready in time";
            }
        }
    }
}
