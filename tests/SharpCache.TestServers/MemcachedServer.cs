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
            if (server.Options.Username is not null)
            {
                await server.MakeSaslDbAsync(cancellationToken).ConfigureAwait(false);
            }

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

    /// <summary>
    /// A sasldb in the temp directory with the one user (<c>saslpasswd2</c>, Debian's sasl2-bin;
    /// Debian's memcached is built without the simpler MEMCACHED_SASL_PWDB file).
    /// </summary>
    private async Task MakeSaslDbAsync(CancellationToken cancellationToken)
    {
        var sasldb = Path.Combine(TempDirectory, "sasldb2");
        await File.WriteAllTextAsync(Path.Combine(TempDirectory, "memcached.conf"), $"mech_list: plain\nsasldb_path: {sasldb}\n", cancellationToken).ConfigureAwait(false);
        var info = new ProcessStartInfo(ToolLocator.Require("saslpasswd2"))
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-p", "-a", "memcached", "-c", "-f", sasldb, Options.Username! })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new ServerUnavailableException("saslpasswd2 did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await process.StandardInput.WriteAsync(Options.Password ?? string.Empty).ConfigureAwait(false);
        process.StandardInput.Close();
        var stderr = await process.StandardError.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new ServerUnavailableException("saslpasswd2 failed: " + stderr);
        }
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

        if (Options.Username is not null)
        {
            // libsasl2 reads <SASL_CONF_PATH>/memcached.conf, which points at the sasldb made in StartAsync.
            info.Environment["SASL_CONF_PATH"] = TempDirectory;
            info.ArgumentList.Add("-S");
        }

        return info;
    }

    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (Options.Username is not null)
        {
            return await TcpAcceptsAsync(Port, cancellationToken).ConfigureAwait(false);
        }

        var reply = await ExchangeLineAsync(new IPEndPoint(IPAddress.Loopback, Port), "version\r\n", cancellationToken).ConfigureAwait(false);
        return reply is not null && reply.StartsWith("VERSION", StringComparison.Ordinal);
    }
}
