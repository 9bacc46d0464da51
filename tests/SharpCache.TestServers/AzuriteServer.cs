using System.Diagnostics;
using System.Globalization;

namespace SharpCache.TestServers;

/// <summary>
/// A real azurite-blob (npm, Azure Blob API) on 127.0.0.1 with a free port, blobs in its temp directory
/// (azurite refuses <c>--inMemoryPersistence</c> together with <c>--location</c>; the directory also keeps them over a restart),
/// any API version accepted (the SDK may be newer than the emulator). It checks shared-key
/// signatures against the well-known development account, so a wrong key gets 403
/// AuthenticationFailed. Containers are not created: tests create them with the SDK.
/// </summary>
public sealed class AzuriteServer : ServerProcess
{
    /// <summary>The development account's name.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The development account's published key (not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _executable;

    private AzuriteServer(string executable)
        : base("azurite")
    {
        _executable = executable;
    }

    /// <summary><c>http://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public string BlobEndpoint => $"http://{Host}:{Port}/{AccountName}";

    /// <summary>A shared-key connection string for the development account on this server.</summary>
    public string ConnectionString => ConnectionStringWithKey(AccountKey);

    /// <summary>The same connection string with another account key (for wrong-credential tests).</summary>
    public string ConnectionStringWithKey(string accountKey) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={accountKey};BlobEndpoint={BlobEndpoint};";

    public static async Task<AzuriteServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new AzuriteServer(NpmTool.Require("azurite-blob", "SHARPCACHE_AZURITE_BLOB"));
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

    protected override ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(_executable);
        foreach (var arg in new[]
        {
            "--blobHost", Host, "--blobPort", Port.ToString(CultureInfo.InvariantCulture),
            "--location", TempDirectory, "--skipApiVersionCheck", "--loose",
            "--disableTelemetry",
        })
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    protected override Task<bool> IsReadyAsync(CancellationToken cancellationToken) => TcpAcceptsAsync(Port, cancellationToken);
}
