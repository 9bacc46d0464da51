using System.Security.Cryptography;
using System.Text.Json.Nodes;
using SharpCache.Storage.Gcs;

namespace SharpCache.Storage.Cloud.Tests.Gcs;

/// <summary>
/// One <see cref="GcsJsonApiServer"/> for a test class that requires a service account's OAuth token,
/// and that account's JSON key file (its <c>token_uri</c> points at the server).
/// </summary>
public sealed class GcsServerFixture : IAsyncLifetime
{
    public const string Bucket = "sharpcache";

    private readonly string _directory = Directory.CreateTempSubdirectory("sharpcache-gcs-").FullName;
    private readonly RSA _key = RSA.Create(2048);
    private GcsJsonApiServer? _server;

    internal GcsJsonApiServer Server => _server ?? throw new InvalidOperationException("not started");

    public string KeyFile => Path.Combine(_directory, "service-account.json");

    public Task InitializeAsync()
    {
        _server = GcsJsonApiServer.Start(_key, Bucket);
        WriteKeyFile(KeyFile, _key, _server.TokenUri);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public GcsStorageOptions Options(string prefix, bool readOnly = false) => new()
    {
        Bucket = Bucket,
        KeyPrefix = prefix,
        ReadOnly = readOnly,
        CredentialsPath = KeyFile,
        BaseUri = Server.BaseUri,
    };

    /// <summary>A service-account key file for <paramref name="key"/>, exchanging tokens at <paramref name="tokenUri"/>.</summary>
    public static void WriteKeyFile(string path, RSA key, string tokenUri)
    {
        var json = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = "sharpcache-test",
            ["private_key_id"] = "test-key",
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "cache@sharpcache-test.iam.gserviceaccount.com",
            ["client_id"] = "1",
            ["token_uri"] = tokenUri,
        };
        File.WriteAllText(path, json.ToJsonString());
    }
}
