using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SharpCache.TestServers;

/// <summary>
/// A real nginx serving WebDAV (<c>dav_methods PUT DELETE MKCOL</c>) from <see cref="DataDirectory"/>
/// on 127.0.0.1 with a free port: <c>daemon off</c>, its own prefix, pid, logs and temp paths in
/// its temp directory, workers as the current user. Ready once the port accepts.
/// </summary>
public sealed class NginxWebDav : ServerProcess
{
    private readonly string _executable;

    private NginxWebDav(NginxWebDavOptions options, string executable)
        : base("nginx")
    {
        Options = options;
        _executable = executable;
        Directory.CreateDirectory(DataDirectory);
    }

    public NginxWebDavOptions Options { get; }

    /// <summary>The served files: a PUT of <c>/a/b</c> lands in <c>DataDirectory/a/b</c>.</summary>
    public string DataDirectory => Path.Combine(TempDirectory, "dav");

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Url => new($"http://{Host}:{Port}/");

    /// <summary>Files under <see cref="DataDirectory"/>, as paths relative to it with '/' separators.</summary>
    public IReadOnlyList<string> ListFiles() =>
        [.. Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(DataDirectory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    public static async Task<NginxWebDav> StartAsync(NginxWebDavOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new NginxWebDav(options ?? new NginxWebDavOptions(), ToolLocator.Require("nginx"));
        try
        {
            if (server.Options.Username is not null)
            {
                await server.WriteHtpasswdAsync(cancellationToken).ConfigureAwait(false);
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

    protected override ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(_executable);
        foreach (var arg in new[] { "-p", TempDirectory + "/", "-c", ConfigPath, "-e", "stderr" })
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    protected override void OnPortChanged() => WriteConfig();

    protected override Task<bool> IsReadyAsync(CancellationToken cancellationToken) => TcpAcceptsAsync(Port, cancellationToken);

    private string ConfigPath => Path.Combine(TempDirectory, "nginx.conf");

    private string HtpasswdPath => Path.Combine(TempDirectory, "htpasswd");

    private async Task WriteHtpasswdAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(ToolLocator.Require("openssl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("passwd");
        info.ArgumentList.Add("-apr1");
        info.ArgumentList.Add(Options.Password ?? string.Empty);
        using var process = Process.Start(info) ?? throw new ServerUnavailableException("openssl did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var hash = await process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new ServerUnavailableException($"openssl passwd -apr1 failed: {await process.StandardError.ReadToEndAsync(timeout.Token).ConfigureAwait(false)}");
        }

        await File.WriteAllTextAsync(HtpasswdPath, $"{Options.Username}:{hash.Trim()}\n", cancellationToken).ConfigureAwait(false);
    }

    private void WriteConfig()
    {
        var user = Environment.UserName;
        var conf = new StringBuilder();
        conf.AppendLine("daemon off;");
        conf.AppendLine("worker_processes 1;");
        if (user == "root")
        {
            // Workers default to 'nobody', which cannot write the root-owned temp directory.
            conf.AppendLine("user root;");
        }

        conf.AppendLine(CultureInfo.InvariantCulture, $"pid {TempDirectory}/nginx.pid;");
        conf.AppendLine("error_log stderr info;");
        conf.AppendLine("events { worker_connections 256; }");
        conf.AppendLine("http {");
        conf.AppendLine("  access_log off;");
        conf.AppendLine("  client_max_body_size 0;");
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            conf.AppendLine(CultureInfo.InvariantCulture, $"  {temp}_temp_path {TempDirectory}/tmp_{temp};");
        }

        conf.AppendLine("  server {");
        conf.AppendLine(CultureInfo.InvariantCulture, $"    listen {Host}:{Port};");
        conf.AppendLine(CultureInfo.InvariantCulture, $"    root {DataDirectory};");
        conf.AppendLine("    location / {");
        conf.AppendLine("      dav_methods PUT DELETE MKCOL;");
        conf.AppendLine(CultureInfo.InvariantCulture, $"      create_full_put_path {(Options.CreateFullPutPath ? "on" : "off")};");
        conf.AppendLine("      dav_access user:rw group:rw all:r;");
        if (Options.Username is not null)
        {
            conf.AppendLine("      auth_basic \"sharpcache\";");
            conf.AppendLine(CultureInfo.InvariantCulture, $"      auth_basic_user_file {HtpasswdPath};");
        }
        else if (Options.BearerToken is not null)
        {
            conf.AppendLine(CultureInfo.InvariantCulture, $"      if ($http_authorization != \"Bearer {Options.BearerToken}\") {{ return 401; }}");
        }

        conf.AppendLine("    }");
        conf.AppendLine("  }");
        conf.AppendLine("}");
        File.WriteAllText(ConfigPath, conf.ToString());
    }
}
