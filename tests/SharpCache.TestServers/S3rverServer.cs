using System.Diagnostics;
using System.Globalization;

namespace SharpCache.TestServers;

/// <summary>
/// A real s3rver (npm, S3 API) on 127.0.0.1 with a free port, its objects in its temp directory,
/// and one bucket created at start. It checks SigV4 signatures against the fixed key pair
/// <see cref="AccessKeyId"/>/<see cref="SecretAccessKey"/> (a wrong secret gets SignatureDoesNotMatch),
/// but lets unsigned (anonymous) requests do anything. Ready once the bucket lists.
/// </summary>
public sealed class S3rverServer : ServerProcess
{
    /// <summary>s3rver's only access key id.</summary>
    public const string AccessKeyId = "S3RVER";

    /// <summary>s3rver's only secret key.</summary>
    public const string SecretAccessKey = "S3RVER";

    private readonly string _executable;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private S3rverServer(string executable, string bucket)
        : base("s3rver")
    {
        _executable = executable;
        Bucket = bucket;
    }

    /// <summary>The bucket created at start.</summary>
    public string Bucket { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string Endpoint => $"http://{Host}:{Port}";

    /// <summary>Where s3rver keeps objects: <c>DataDirectory/BUCKET/NAME._S3rver_object</c>.</summary>
    public string DataDirectory => Path.Combine(TempDirectory, "data");

    public static async Task<S3rverServer> StartAsync(string bucket = "sharpcache", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        var server = new S3rverServer(NpmTool.Require("s3rver", "SHARPCACHE_S3RVER"), bucket);
        try
        {
            Directory.CreateDirectory(server.DataDirectory);
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
        foreach (var arg in new[] { "-d", DataDirectory, "-a", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "--no-vhost-buckets", "--configure-bucket", Bucket })
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri($"{Endpoint}/{Bucket}"), cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    protected override ValueTask DisposeCoreAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
