using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace SharpCache.TestServers;

/// <summary>
/// A real <c>redis-server</c> on 127.0.0.1 with a free port, no persistence, its config and
/// data in its temp directory. Ready once it answers <c>PING</c> (a <c>-NOAUTH</c> answer counts:
/// the server is up, the test supplies the password).
/// </summary>
public sealed class RedisServer : ServerProcess
{
    private readonly string _executable;

    private RedisServer(RedisServerOptions options, string executable)
        : base("redis", options.ClusterNode ? () => FreePort.NextWithSibling(10000) : FreePort.Next)
    {
        Options = options;
        _executable = executable;
    }

    public RedisServerOptions Options { get; }

    /// <summary>The unix socket path when <see cref="RedisServerOptions.UnixSocket"/> is set, else null.</summary>
    public string? UnixSocketPath => Options.UnixSocket ? Path.Combine(TempDirectory, "redis.sock") : null;

    /// <summary><c>host:port</c>.</summary>
    public string EndPoint => $"{Host}:{Port}";

    /// <summary><c>redis://127.0.0.1:PORT</c> (<c>rediss://</c> with TLS; no credentials).</summary>
    public string Url => $"{(Options.Tls ? "rediss" : "redis")}://{Host}:{Port}";

    public static async Task<RedisServer> StartAsync(RedisServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new RedisServer(options ?? new RedisServerOptions(), ToolLocator.Require("redis-server"));
        try
        {
            if (server.Options.Tls)
            {
                await server.MakeCertificateAsync(cancellationToken).ConfigureAwait(false);
            }

            server.WriteConfig();
            await server.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs one command over a fresh connection (RESP, authenticating as the admin user when the
    /// server has a password) and returns the reply's first line, e.g. <c>:3</c> for DBSIZE.
    /// For checking the server directly, independent of the client under test.
    /// </summary>
    public async Task<string> CommandAsync(string[] command, int db = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var request = new StringBuilder();
        if (Options.Password is not null)
        {
            request.Append(Resp(["AUTH", Options.Password]));
        }

        if (db != 0)
        {
            request.Append(Resp(["SELECT", db.ToString(CultureInfo.InvariantCulture)]));
        }

        request.Append(Resp(command));
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token).ConfigureAwait(false);
        Stream stream = client.GetStream();
        if (Options.Tls)
        {
            // The test's own self-signed certificate.
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token).ConfigureAwait(false);
            stream = ssl;
        }

        await using var streamScope = stream.ConfigureAwait(false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), timeout.Token).ConfigureAwait(false);
        var expectedLines = 1 + (Options.Password is null ? 0 : 1) + (db == 0 ? 0 : 1);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (received.ToString().Count(c => c == '\n') < expectedLines)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        var lines = received.ToString().Split("\r\n");
        return lines.Length >= expectedLines ? lines[expectedLines - 1] : received.ToString();
    }

    /// <summary>Number of keys in <paramref name="db"/> (DBSIZE).</summary>
    public async Task<long> DbSizeAsync(int db = 0, CancellationToken cancellationToken = default)
    {
        var reply = await CommandAsync(["DBSIZE"], db, cancellationToken).ConfigureAwait(false);
        return reply.StartsWith(':') ? long.Parse(reply.AsSpan(1), CultureInfo.InvariantCulture) : throw new InvalidOperationException(FailureMessage($"DBSIZE answered '{reply}'"));
    }

    protected override ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(_executable);
        info.ArgumentList.Add(ConfigPath);
        return info;
    }

    protected override void OnPortChanged() => WriteConfig();

    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (Options.Tls)
        {
            return await TcpAcceptsAsync(Port, cancellationToken).ConfigureAwait(false);
        }

        var reply = await ExchangeLineAsync(new IPEndPoint(IPAddress.Loopback, Port), "PING\r\n", cancellationToken).ConfigureAwait(false);
        return reply is not null && (reply.StartsWith("+PONG", StringComparison.Ordinal) || reply.StartsWith("-NOAUTH", StringComparison.Ordinal));
    }

    private string ConfigPath => Path.Combine(TempDirectory, "redis.conf");

    private void WriteConfig()
    {
        var conf = new StringBuilder();
        if (Options.Tls)
        {
            conf.AppendLine("port 0");
            conf.AppendLine(CultureInfo.InvariantCulture, $"tls-port {Port}");
            conf.AppendLine(CultureInfo.InvariantCulture, $"tls-cert-file \"{CertificatePath}\"");
            conf.AppendLine(CultureInfo.InvariantCulture, $"tls-key-file \"{KeyPath}\"");
            conf.AppendLine(CultureInfo.InvariantCulture, $"tls-ca-cert-file \"{CertificatePath}\"");
            conf.AppendLine("tls-auth-clients no");
        }
        else
        {
            conf.AppendLine(CultureInfo.InvariantCulture, $"port {Port}");
        }

        conf.AppendLine("bind 127.0.0.1");
        conf.AppendLine("protected-mode no");
        conf.AppendLine("daemonize no");
        conf.AppendLine("logfile \"\"");
        conf.AppendLine(CultureInfo.InvariantCulture, $"dir \"{TempDirectory}\"");
        conf.AppendLine("save \"\"");
        conf.AppendLine("appendonly no");
        if (Options.Password is not null)
        {
            conf.AppendLine(CultureInfo.InvariantCulture, $"requirepass \"{Options.Password}\"");
        }

        if (Options.AclUser is not null)
        {
            conf.AppendLine(CultureInfo.InvariantCulture, $"user {Options.AclUser} on >{Options.AclPassword ?? string.Empty} ~* &* +@all");
        }

        if (UnixSocketPath is { } socketPath)
        {
            conf.AppendLine(CultureInfo.InvariantCulture, $"unixsocket \"{socketPath}\"");
            conf.AppendLine("unixsocketperm 700");
        }

        if (Options.ClusterNode)
        {
            conf.AppendLine("cluster-enabled yes");
            conf.AppendLine(CultureInfo.InvariantCulture, $"cluster-config-file \"{Path.Combine(TempDirectory, "nodes.conf")}\"");
            conf.AppendLine("cluster-node-timeout 5000");
        }

        File.WriteAllText(ConfigPath, conf.ToString());
    }

    /// <summary>The server's self-signed certificate (PEM) when <see cref="RedisServerOptions.Tls"/> is set.</summary>
    public string CertificatePath => Path.Combine(TempDirectory, "cert.pem");

    private string KeyPath => Path.Combine(TempDirectory, "key.pem");

    private async Task MakeCertificateAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(ToolLocator.Require("openssl")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", KeyPath, "-out", CertificatePath, "-subj", "/CN=localhost", "-days", "1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new ServerUnavailableException("openssl did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new ServerUnavailableException("openssl req (test certificate) failed: " + await stderr.ConfigureAwait(false));
        }
    }

    private static string Resp(string[] args)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"*{args.Length}\r\n");
        foreach (var arg in args)
        {
            sb.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(arg)}\r\n{arg}\r\n");
        }

        return sb.ToString();
    }
}
