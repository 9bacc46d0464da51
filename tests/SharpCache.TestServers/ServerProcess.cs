using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SharpCache.TestServers;

/// <summary>
/// A real server process for tests: runs in its own temp directory on a free loopback port,
/// is ready once <see cref="IsReadyAsync"/> says so (bounded by <see cref="StartTimeout"/>),
/// and keeps its stdout/stderr for failure messages. <see cref="DisposeAsync"/> kills it and
/// deletes the temp directory, also after a failed start.
/// <para>
/// Subclasses set up files in <see cref="TempDirectory"/>, then call <see cref="StartCoreAsync"/>
/// from a static factory. <see cref="Kill"/> and <see cref="RestartAsync"/> (same port, same
/// files) are for fault tests.
/// </para>
/// </summary>
public abstract class ServerProcess : IAsyncDisposable
{
    private const int MaxLogChars = 64 * 1024;
    private const int StartAttempts = 3;

    private readonly StringBuilder _log = new();
    private readonly Lock _logLock = new();
    private readonly Func<int> _pickPort;
    private Process? _process;
    private bool _disposed;

    protected ServerProcess(string name)
        : this(name, FreePort.Next)
    {
    }

    /// <summary>For servers that need more than one free port (e.g. a Redis cluster node's bus port, port + 10000).</summary>
    protected ServerProcess(string name, Func<int> pickPort)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(pickPort);
        Name = name;
        _pickPort = pickPort;
        TempDirectory = Directory.CreateTempSubdirectory($"sharpcache-{name}-").FullName;
        Port = pickPort();
    }

    /// <summary>Short name for messages and the temp directory: <c>redis</c>, <c>memcached</c>, ...</summary>
    public string Name { get; }

    /// <summary>This server's own directory (config, data, sockets); deleted on dispose.</summary>
    public string TempDirectory { get; }

    /// <summary>The loopback TCP port the server listens on (may change only during the first start, on a port clash).</summary>
    public int Port { get; private set; }

    public static string Host => "127.0.0.1";

    /// <summary>How long a start may take before it fails with the server's log.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server's stdout and stderr so far (the last 64 KiB).</summary>
    public string Log
    {
        get
        {
            lock (_logLock)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The executable and arguments to run; called for every (re)start, after <see cref="Port"/> is chosen.</summary>
    protected abstract ProcessStartInfo CreateStartInfo();

    /// <summary>True once the server answers (a ping, or at least a TCP accept). Must not throw for "not yet".</summary>
    protected abstract Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>Called before a retry on a fresh port, so a subclass can rewrite its config file.</summary>
    protected virtual void OnPortChanged()
    {
    }

    /// <summary>Starts the process and waits until it is ready; on a port clash retries on a fresh port.</summary>
    protected async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await TryStartOnceAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (attempt >= StartAttempts || IsRunning)
            {
                Kill();
                throw new ServerUnavailableException(FailureMessage($"did not become ready within {StartTimeout.TotalSeconds:0} s"));
            }

            Port = _pickPort();
            OnPortChanged();
        }
    }

    /// <summary>Kills the server now (SIGKILL), as a crash would; the temp directory stays for a restart.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Kills the server if it runs and starts it again on the same port with the same files.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Kill();
        if (!await TryStartOnceAsync(cancellationToken).ConfigureAwait(false))
        {
            Kill();
            throw new ServerUnavailableException(FailureMessage($"did not come back within {StartTimeout.TotalSeconds:0} s after a restart"));
        }
    }

    /// <summary>A message naming the server, what went wrong, and its log.</summary>
    public string FailureMessage(string what) => $"{Name} on port {Port}: {what}\n---- {Name} log ----\n{Log}";

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        _process?.Dispose();
        await DisposeCoreAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A straggling child may still hold a file; the OS temp cleaner gets it.
        }
        catch (UnauthorizedAccessException)
        {
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Extra cleanup for subclasses (helpers they started), before the temp directory goes.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    /// <summary>True when something accepts a TCP connection on 127.0.0.1:<paramref name="port"/>.</summary>
    protected static async Task<bool> TcpAcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Sends <paramref name="request"/> to <paramref name="endPoint"/> and returns the first line of the answer, or null when nothing answers.</summary>
    protected static async Task<string?> ExchangeLineAsync(EndPoint endPoint, string request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var protocol = endPoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, protocol);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var buffer = new byte[512];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            var text = Encoding.ASCII.GetString(buffer, 0, read);
            var end = text.IndexOf('\n', StringComparison.Ordinal);
            return (end >= 0 ? text[..end] : text).TrimEnd('\r');
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private async Task<bool> TryStartOnceAsync(CancellationToken cancellationToken)
    {
        _process?.Dispose();
        var info = CreateStartInfo();
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = false;
        if (string.IsNullOrEmpty(info.WorkingDirectory))
        {
            info.WorkingDirectory = TempDirectory;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        AppendLog($"[{DateTime.UtcNow:HH:mm:ss.fff}] start: {info.FileName} {string.Join(' ', info.ArgumentList)}");
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new ServerUnavailableException(FailureMessage($"could not run {info.FileName}: {e.Message}"), e);
        }

        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        try
        {
            while (!process.HasExited)
            {
                using var probe = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                probe.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    if (await IsReadyAsync(probe.Token).ConfigureAwait(false))
                    {
                        return true;
                    }
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    // This probe took too long; try again.
                }

                await Task.Delay(50, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        // Exited before it was ready (a port clash, a bad config): wait for its last output.
        process.WaitForExit(2000);
        AppendLog($"[{DateTime.UtcNow:HH:mm:ss.fff}] exited with code {process.ExitCode}");
        return false;
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            _log.AppendLine(line);
            if (_log.Length > MaxLogChars)
            {
                _log.Remove(0, _log.Length - MaxLogChars);
            }
        }
    }
}
