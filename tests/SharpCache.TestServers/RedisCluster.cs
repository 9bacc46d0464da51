using System.Diagnostics;
using System.Globalization;

namespace SharpCache.TestServers;

/// <summary>
/// A 3-master Redis cluster (no replicas) of real <see cref="RedisServer"/> nodes, joined with
/// <c>redis-cli --cluster create</c> and ready once every node reports <c>cluster_state:ok</c>.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private RedisCluster(IReadOnlyList<RedisServer> nodes) => Nodes = nodes;

    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary><c>redis://127.0.0.1:P</c> of each node (sccache's cluster endpoint list).</summary>
    public IReadOnlyList<string> Urls => [.. Nodes.Select(n => n.Url)];

    public static async Task<RedisCluster> StartAsync(CancellationToken cancellationToken = default)
    {
        var cli = ToolLocator.Require("redis-cli");
        var nodes = new List<RedisServer>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes.Add(await RedisServer.StartAsync(new RedisServerOptions { ClusterNode = true }, cancellationToken).ConfigureAwait(false));
            }

            var create = new List<string> { "--cluster", "create" };
            create.AddRange(nodes.Select(n => n.EndPoint));
            create.AddRange(["--cluster-replicas", "0", "--cluster-yes"]);
            var (code, output) = await RunAsync(cli, create, cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                throw new ServerUnavailableException($"redis-cli --cluster create failed ({code}): {output}");
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            foreach (var node in nodes)
            {
                while (true)
                {
                    var (_, info) = await RunAsync(cli, ["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"], cancellationToken).ConfigureAwait(false);
                    if (info.Contains("cluster_state:ok", StringComparison.Ordinal))
                    {
                        break;
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        throw new ServerUnavailableException(node.FailureMessage("the cluster did not reach cluster_state:ok in 30 s: " + info));
                    }

                    await Task.Delay(200, cancellationToken).ConfigureAwait(false);
                }
            }

            return new RedisCluster(nodes);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string exe, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new ServerUnavailableException($"{exe} did not start");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        var stdout = await process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return (process.ExitCode, stdout + await stderr.ConfigureAwait(false));
    }
}
