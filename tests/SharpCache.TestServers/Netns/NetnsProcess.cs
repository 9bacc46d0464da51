using System.Diagnostics;
using System.Text;

namespace SharpCache.TestServers.Netns;

/// <summary>
/// A process started inside a host's namespace by <see cref="NetnsCluster.Start"/>; keeps its
/// stdout/stderr (last 64 KiB) for failure messages. The cluster kills it on dispose.
/// </summary>
public sealed class NetnsProcess : IDisposable
{
    private const int MaxLogChars = 64 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private bool _disposed;

    internal NetnsProcess(NetnsHost host, Process process)
    {
        Host = host;
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public NetnsHost Host { get; }

    public int Id => _process.Id;

    /// <summary>True once it exited (or was killed by the cluster's dispose).</summary>
    public bool HasExited => _disposed || _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Waits for exit up to <paramref name="timeout"/>; false when it still runs.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the process and its children; bounded wait for them to go.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Kill();
        _disposed = true;
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
            if (_log.Length > MaxLogChars)
            {
                _log.Remove(0, _log.Length - MaxLogChars);
            }
        }
    }
}
