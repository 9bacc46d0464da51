using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace SharpCache.TestServers;

/// <summary>
/// A real <c>memcached</c> on 127.0.0.1 with a free port (TCP only, UDP off), run as the current
/// user (<c>-u root</c> when root, which memcached otherwise refuses). Ready once it answers <c>version</c>.
/// </summary>
public sealed class MemcachedServer : ServerProcess
{
    private readonly string _executable;

    private MemcachedServer(MemcachedServerOptions options, string executable)
        : base("memcached")
    {
        Options = options;
        _executable = executable;
    }

    public MemcachedServerOptions Options { get; }

    /// <summary><c>tcp://127.0.0.1:PORT</c>, sccache's endpoint form.</summary>
    public string Url => $"tcp://{Host}:{Port}";

    public static async Task<MemcachedServer> StartAsync(MemcachedServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new MemcachedServer(options ?? new MemcachedServerOptions(), ToolLocator.Require("memcached"));
        try
        {
            await server.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs one text-protocol command (e.g. <c>stats items</c>) and returns the first reply line; to check the server directly.</summary>
    public async Task<string?> TextCommandAsync(string command, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        return await ExchangeLineAsync(new IPEndPoint(IPAddress.Loopback, Port), command + "\r\n", timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Number of items the server holds (<c>stats</c> → <c>curr_items</c>).</summary>
    public async Task<long> CurrentItemsAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync("stats\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line && line != "END")
        {
            const string Prefix = "STAT curr_items ";
            if (line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(Prefix.Length), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException(FailureMessage("stats has no curr_items"));
    }

    protected override ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(_executable);
        foreach (var arg in new[] { "-l", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "0", "-m", Options.MemoryMiB.ToString(CultureInfo.InvariantCulture), "-I", Options.ItemSizeLimit, "-c", "256" })
        {
            info.ArgumentList.Add(arg);
        }

        if (Environment.UserName == "root")
        {
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("root");
        }

        return info;
    }

    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        var reply = await ExchangeLineAsync(new IPEndPoint(IPAddress.Loopback, Port), "version\r\n", cancellationToken).ConfigureAwait(false);
        return reply is not null && reply.StartsWith("VERSION", StringComparison.Ordinal);
    }
}
