using System.Net.Sockets;
using SharpCache.Configuration;
using SharpCache.Logging;
using SharpCache.Stats;

namespace SharpCache.Daemon;

/// <summary>
/// The daemon proper, embeddable so tests run it in-process on a temp socket. Start order:
/// socket directory (0700) → exclusive lock → unlink a stale socket → bind → listen; the lock
/// is taken before anything touches the socket path, so exactly one server owns it. It stops
/// on <see cref="RequestStop"/> (signal, <c>Shutdown</c> request) or after the idle timeout,
/// removing the socket file before it releases the lock.
/// </summary>
internal sealed partial class DaemonServer : IAsyncDisposable
{
    private readonly SharpCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? _listener;
    private DaemonLock? _lock;
    private long _lastActivity;
    private int _activeConnections;
    private int _started;

    private readonly IRemoteTiers? _remote;
    private readonly IDistCompiler? _dist;

    public DaemonServer(SharpCacheOptions options, TimeProvider? timeProvider = null, IRemoteTiers? remote = null, IDistCompiler? dist = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _remote = remote;
        _dist = dist;
        _time = timeProvider ?? TimeProvider.System;
        _lastActivity = _time.GetTimestamp();
    }

    /// <summary>A connection that sends nothing for this long is closed.</summary>
    public TimeSpan ConnectionIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections beyond this many are closed on accept.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>How long a stop waits for queued remote writes.</summary>
    public TimeSpan RemoteFlushTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The remote tiers, if any (for stats).</summary>
    internal IRemoteTiers? Remote => _remote;

    /// <summary>How long a stop waits for open connections to finish.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public StatsAggregator Stats { get; } = new();

    /// <summary>Completes when the server has fully stopped (socket removed, lock released).</summary>
    public Task Completion => _completion.Task;

    /// <summary>Why the server stopped; null while running.</summary>
    public DaemonStopReason? StopReason { get; private set; }

    /// <summary>Connections being served right now.</summary>
    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    public Task<DaemonStartResult> StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The daemon server was already started.");
        }

        var result = Bind();
        if (result != DaemonStartResult.Started)
        {
            _completion.TrySetResult();
            return Task.FromResult(result);
        }

        Log.Info("daemon listening on " + DaemonEndpoint.Describe(_options));
        _ = RunAsync();
        return Task.FromResult(result);
    }

    /// <summary>Asks the server to stop; idempotent and safe from signal handlers.</summary>
    public void RequestStop(DaemonStopReason reason = DaemonStopReason.Requested)
    {
        lock (_stopping)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            StopReason = reason;
            _stopping.Cancel();
        }
    }

    public async Task StopAsync()
    {
        RequestStop();
        await Completion.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private DaemonStartResult Bind()
    {
        try
        {
            if (DaemonEndpoint.UsesTcp(_options))
            {
                return BindSocket();
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(_options.ServerSocketPath));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            _lock = DaemonLock.TryAcquire(DaemonLock.PathFor(_options.ServerSocketPath));
            if (_lock is null)
            {
                Log.Debug("another daemon holds " + DaemonLock.PathFor(_options.ServerSocketPath));
                return DaemonStartResult.AlreadyRunning;
            }

            // We hold the lock, so a socket file here is a dead daemon's leftover. Anything else
            // (a user's regular file, a directory) is not ours to delete: refuse to start.
            if (Path.Exists(_options.ServerSocketPath))
            {
                if (!IsSocket(_options.ServerSocketPath))
                {
                    Log.Error("daemon socket path " + _options.ServerSocketPath + " exists and is not a socket; not starting");
                    _lock.Dispose();
                    _lock = null;
                    return DaemonStartResult.Failed;
                }

                File.Delete(_options.ServerSocketPath);
            }

            var result = BindSocket();
            if (result != DaemonStartResult.Started)
            {
                _lock.Dispose();
                _lock = null;
            }

            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Error("daemon could not prepare " + _options.ServerSocketPath + ": " + e.Message);
            _lock?.Dispose();
            _lock = null;
            return DaemonStartResult.Failed;
        }
    }

    /// <summary>lstat's file type is a socket (S_IFSOCK).</summary>
    private static bool IsSocket(string path) =>
        Core.Direct.DirectNativeMethods.Statx(Core.Direct.DirectNativeMethods.AtFdCwd, path, 0x100 /* AT_SYMLINK_NOFOLLOW */, 0x1 /* STATX_TYPE */, out var buffer) == 0
        && (buffer.Mode & 0xF000) == 0xC000;

    private DaemonStartResult BindSocket()
    {
        var socket = DaemonEndpoint.CreateSocket(_options);
        try
        {
            socket.Bind(DaemonEndpoint.Create(_options));
            socket.Listen(512);
            _listener = socket;
            return DaemonStartResult.Started;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            if (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return DaemonStartResult.AlreadyRunning;
            }

            Log.Error("daemon could not listen on " + DaemonEndpoint.Describe(_options) + ": " + e.Message);
            return DaemonStartResult.Failed;
        }
    }

    private async Task RunAsync()
    {
        try
        {
            var token = _stopping.Token;
            var idle = IdleLoopAsync(token);
            await AcceptLoopAsync(token).ConfigureAwait(false);
            RequestStop(DaemonStopReason.ListenerFailed);
            await idle.ConfigureAwait(false);
        }
        finally
        {
            await CleanUpAsync().ConfigureAwait(false);
        }
    }

    private async Task AcceptLoopAsync(CancellationToken token)
    {
        var listener = _listener!;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE/ENFILE and friends: back off briefly and keep serving.
                Log.Warn("accept failed: " + e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (Interlocked.Increment(ref _activeConnections) > MaxConnections)
            {
                Interlocked.Decrement(ref _activeConnections);
                client.Dispose();
                continue;
            }

            _ = ServeConnectionAsync(client, token);
        }
    }

    private async Task IdleLoopAsync(CancellationToken token)
    {
        if (_options.IdleTimeoutSeconds <= 0)
        {
            return;
        }

        var timeout = TimeSpan.FromSeconds(_options.IdleTimeoutSeconds);
        while (!token.IsCancellationRequested)
        {
            var idleFor = _time.GetElapsedTime(Volatile.Read(ref _lastActivity));
            if (idleFor >= timeout)
            {
                Log.Info("idle for " + _options.IdleTimeoutSeconds + " s, shutting down");
                RequestStop(DaemonStopReason.IdleTimeout);
                return;
            }

            try
            {
                await Task.Delay(timeout - idleFor + TimeSpan.FromMilliseconds(10), _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CleanUpAsync()
    {
        _listener?.Dispose();
        if (!DaemonEndpoint.UsesTcp(_options) && _lock is not null)
        {
            try
            {
                File.Delete(_options.ServerSocketPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.Warn("could not remove " + _options.ServerSocketPath + ": " + e.Message);
            }
        }

        var deadline = _time.GetTimestamp();
        while (Volatile.Read(ref _activeConnections) > 0 && _time.GetElapsedTime(deadline) < DrainTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, CancellationToken.None).ConfigureAwait(false);
        }

        if (_remote is not null)
        {
            // Writes the clients already handed over: finish them (bounded) before going away.
            await _remote.FlushAsync(RemoteFlushTimeout).ConfigureAwait(false);
        }

        _lock?.Dispose();
        _lock = null;
        Log.Info("daemon stopped (" + StopReason + ")");
        _completion.TrySetResult();
    }

    private void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());
}
