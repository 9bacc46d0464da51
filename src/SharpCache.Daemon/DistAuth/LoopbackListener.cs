using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>
/// The local HTTP listener that receives the OAuth2 redirect: sccache's ports, the first free of
/// <see cref="Ports"/> (they must be registered with the provider as <c>http://localhost:PORT/redirect</c>), on
/// 127.0.0.1 and, where the machine has it, [::1] (a browser may resolve <c>localhost</c> to either). A deliberately
/// small HTTP/1.1 server: one request per connection, bounded header and body sizes, a read timeout per connection,
/// connections served concurrently (browsers open speculative ones that never send a request).
/// </summary>
internal sealed class LoopbackListener : IDisposable
{
    /// <summary>sccache's redirect ports (<c>dist/client_auth.rs</c>), tried in this order.</summary>
    public static readonly IReadOnlyList<int> Ports = [12731, 32492, 56909];

    private const int MaxHeaderBytes = 16 * 1024;
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    private readonly List<TcpListener> _listeners;
    private readonly SemaphoreSlim _handlerGate = new(1, 1);
    private bool _decided;

    private LoopbackListener(int port, List<TcpListener> listeners)
    {
        Port = port;
        _listeners = listeners;
    }

    public int Port { get; }

    /// <summary>The <c>redirect_uri</c> sccache sends: <c>http://localhost:PORT/redirect</c>.</summary>
    public string RedirectUri => $"http://localhost:{Port}/redirect";

    /// <summary>Where a person can start the sign-in by hand (it redirects to the authorize URL).</summary>
    public string StartUrl => $"http://localhost:{Port}/";

    /// <summary>Listens on the first free port of <paramref name="ports"/>, or returns null with <paramref name="problem"/>.</summary>
    public static LoopbackListener? TryStart(IReadOnlyList<int> ports, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(ports);
        foreach (var port in ports)
        {
            var listeners = new List<TcpListener>();
            if (TryListen(IPAddress.Loopback, port, listeners) is not SocketError.Success)
            {
                continue;
            }

            // [::1] too, unless this machine has no IPv6 loopback; someone else on [::1]:PORT would get the redirect.
            var v6 = TryListen(IPAddress.IPv6Loopback, port, listeners);
            if (v6 is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                Stop(listeners);
                continue;
            }

            problem = null;
            return new LoopbackListener(port, listeners);
        }

        problem = $"none of the redirect ports {string.Join(", ", ports)} on localhost is free (another sign-in running?)";
        return null;
    }

    /// <summary>
    /// Serves requests with <paramref name="handle"/> (one at a time) until it answers with
    /// <see cref="LoopbackResponse.Finished"/>; throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires first.
    /// </summary>
    public async Task ServeAsync(Func<LoopbackRequest, CancellationToken, Task<LoopbackResponse>> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var accepts = _listeners.Select(l => AcceptLoopAsync(l, handle, finished, stop.Token)).ToList();
        try
        {
            await finished.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            Stop(_listeners);
            await Task.WhenAll(accepts).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        Stop(_listeners);
        _handlerGate.Dispose();
    }

    private static SocketError TryListen(IPAddress address, int port, List<TcpListener> listeners)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
            listeners.Add(listener);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            listener.Dispose();
            return e.SocketErrorCode;
        }
    }

    private static void Stop(List<TcpListener> listeners)
    {
        foreach (var listener in listeners)
        {
            listener.Dispose();
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, Func<LoopbackRequest, CancellationToken, Task<LoopbackResponse>> handle, TaskCompletionSource finished, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                connections.Add(ServeConnectionAsync(client, handle, finished, cancellationToken));
                connections.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeConnectionAsync(TcpClient client, Func<LoopbackRequest, CancellationToken, Task<LoopbackResponse>> handle, TaskCompletionSource finished, CancellationToken cancellationToken)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            var stream = client.GetStream();
            var request = await LoopbackHttp.ReadRequestAsync(stream, MaxHeaderBytes, MaxBodyBytes, timeout.Token).ConfigureAwait(false);
            LoopbackResponse response;
            if (request is null)
            {
                response = new LoopbackResponse(400, "text/plain; charset=utf-8", "bad request\n");
            }
            else
            {
                await _handlerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    // Once the flow is decided, later requests (a reload, a second tab) only hear that it is over.
                    response = _decided
                        ? LoopbackResponse.Html(410, AuthPages.AlreadyFinished)
                        : await handle(request, cancellationToken).ConfigureAwait(false);
                    _decided |= response.Finished;
                }
                finally
                {
                    _handlerGate.Release();
                }
            }

            await LoopbackHttp.WriteResponseAsync(stream, response, timeout.Token).ConfigureAwait(false);
            if (response.Finished)
            {
                finished.TrySetResult();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser went away or sent nothing in time: only this connection is lost.
        }
    }
}
