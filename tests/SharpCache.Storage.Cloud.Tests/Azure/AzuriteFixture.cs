using Azure.Storage.Blobs;
using SharpCache.Storage.Azure;
using SharpCache.TestServers;

namespace SharpCache.Storage.Cloud.Tests.Azure;

/// <summary>One real azurite-blob for a test class, with its container created through the SDK.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Container = "sharpcache";

    private AzuriteServer? _server;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _server = await AzuriteServer.StartAsync(TestKeys.Timeout(60));
        await ContainerClient().CreateIfNotExistsAsync(cancellationToken: TestKeys.Timeout());
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public AzureBlobStorageOptions Options(string prefix, bool readOnly = false) => new()
    {
        ConnectionString = Server.ConnectionString,
        Container = Container,
        KeyPrefix = prefix,
        ReadOnly = readOnly,
    };

    public BlobContainerClient ContainerClient() => new BlobServiceClient(Server.ConnectionString).GetBlobContainerClient(Container);

    public async Task<IReadOnlyList<string>> ListAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in ContainerClient().GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, prefix + "/", TestKeys.Timeout()))
        {
            names.Add(blob.Name);
        }

        return names.Order(StringComparer.Ordinal).ToList();
    }
}
