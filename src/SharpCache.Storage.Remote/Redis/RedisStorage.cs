using System.Globalization;
using System.Net;
using System.Security.Authentication;
using System.Net.Sockets;
using StackExchange.Redis;

namespace SharpCache.Storage.Remote.Redis;

/// <summary>
/// A Redis tier through StackExchange.Redis: one <see cref="ConnectionMultiplexer"/> per tier,
/// connected on first use with <c>abortConnect=false</c> (a server that is down at start is
/// retried in the background, never fails the daemon), commands failing fast while disconnected.
/// Values are plain strings: <c>SET &lt;prefix&gt;/a/b/c/&lt;key&gt; value [EX seconds]</c>.
/// </summary>
public sealed class RedisStorage : KeyedObjectStorage
{
    private readonly ConfigurationOptions _configuration;
    private readonly int _db;
    private readonly TimeSpan? _expiry;
    private readonly Lock _connectLock = new();
    private Task<ConnectionMultiplexer>? _connection;

    /// <summary>
    /// The last connection attempt failed on AUTH (WRONGPASS, NOAUTH). A command sent while disconnected fails with
    /// "no connection is available", which names the cause only when the server's last error is already recorded.
    /// </summary>
    private volatile bool _authFailed;

    private RedisStorage(ConfigurationOptions configuration, string prefix, int db, TimeSpan? expiry, bool readOnly, string location)
        : base(prefix, readOnly, location)
    {
        _configuration = configuration;
        _db = db;
        _expiry = expiry;
    }

    public override string Name => "redis";

    /// <summary>Builds the tier without connecting; throws <see cref="ArgumentException"/> for a bad URL or option.</summary>
    public static RedisStorage Create(RedisStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var urls = options.ClusterEndpoints.Count > 0
            ? options.ClusterEndpoints.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
            : options.Endpoint is { Length: > 0 } single ? [single] : [];
        if (urls.Count == 0)
        {
            throw new ArgumentException("Redis: neither an endpoint nor cluster endpoints are set", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.ExpirationSeconds);
        var endpoints = urls.Select(RedisEndpoint.Parse).ToList();
        var first = endpoints[0];
        var db = options.Db ?? first.Db ?? 0;
        if (db is < 0 or > 255)
        {
            throw new ArgumentException($"Redis: db {db} is out of range 0-255", nameof(options));
        }

        if (options.ClusterEndpoints.Count > 0 && db != 0)
        {
            throw new ArgumentException("Redis: a cluster has only db 0", nameof(options));
        }

        var configuration = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds,
            ConnectRetry = 1,
            SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds,
            AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds,
            // A dead server fails commands at once instead of queueing them until the timeout.
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new LinearRetry(1000),
            User = options.Username ?? first.Username,
            Password = options.Password ?? first.Password,
            DefaultDatabase = db,
            Ssl = first.Tls,
            ClientName = "sharpcache",
        };
        if (first.InsecureTls)
        {
            configuration.CertificateValidation += static (_, _, _, _) => true;
        }

        foreach (var endpoint in endpoints)
        {
            configuration.EndPoints.Add(endpoint.UnixSocketPath is { } path
                ? new UnixDomainSocketEndPoint(path)
                : new DnsEndPoint(endpoint.Host!, endpoint.Port));
        }

        var prefix = RemoteKeyLayout.NormalizePrefix(options.KeyPrefix);
        var location = string.Join(",", endpoints) + "/" + db.ToString(CultureInfo.InvariantCulture) + (prefix.Length > 0 ? ", prefix " + prefix : string.Empty);
        var expiry = options.ExpirationSeconds > 0 ? TimeSpan.FromSeconds(options.ExpirationSeconds) : (TimeSpan?)null;
        return new RedisStorage(configuration, prefix, db, expiry, options.ReadOnly, location);
    }

    public override async ValueTask DisposeAsync()
    {
        Task<ConnectionMultiplexer>? pending;
        lock (_connectLock)
        {
            pending = _connection;
        }

        if (pending is not null)
        {
            try
            {
                var connection = await pending.ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or SocketException or ObjectDisposedException)
            {
                // Never connected: nothing to close.
            }
        }
    }

    protected override async Task<RemoteReadResult> GetObjectAsync(string objectName, CancellationToken cancellationToken)
    {
        try
        {
            var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            var value = await database.StringGetAsync(objectName).WaitAsync(cancellationToken).ConfigureAwait(false);
            return value.IsNull ? RemoteReadResult.Miss.Instance : new RemoteReadResult.Hit((byte[])value!);
        }
        catch (Exception e) when (Classify(e, cancellationToken) is { } failure)
        {
            return RemoteErrors.Read(failure.Kind, failure.Reason);
        }
    }

    protected override async Task<RemoteWriteResult> PutObjectAsync(string objectName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            var ok = await database.StringSetAsync(objectName, data, _expiry, When.Always).WaitAsync(cancellationToken).ConfigureAwait(false);
            return ok ? RemoteWriteResult.Written.Instance : RemoteErrors.Write(RemoteFailureKind.Protocol, "redis: SET was not applied");
        }
        catch (Exception e) when (Classify(e, cancellationToken) is { } failure)
        {
            return RemoteErrors.Write(failure.Kind, failure.Reason);
        }
    }

    private async Task<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        Task<ConnectionMultiplexer> connecting;
        lock (_connectLock)
        {
            // One multiplexer for the tier's lifetime: it reconnects by itself. Only a connect that
            // threw (abortConnect=false makes that rare: a bad TLS setup, say) is started again.
            if (_connection is null || _connection.IsFaulted || _connection.IsCanceled)
            {
                _connection = ConnectAndWatchAsync();
            }

            connecting = _connection;
        }

        var connection = await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        return connection.GetDatabase(_db);
    }

    private async Task<ConnectionMultiplexer> ConnectAndWatchAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
        connection.ConnectionFailed += (_, failure) => _authFailed = failure.FailureType == ConnectionFailureType.AuthenticationFailure
            || (failure.Exception is { } e && IsAuthError(e.ToString()));
        connection.ConnectionRestored += (_, _) => _authFailed = false;
        return connection;
    }

    private (RemoteFailureKind Kind, string Reason)? Classify(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => (RemoteFailureKind.Timeout, "redis: cancelled (timeout)"),
        RedisTimeoutException => (RemoteFailureKind.Timeout, "redis: " + e.Message),
        RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } => (RemoteFailureKind.Unauthorized, "redis: unauthorized: " + e.Message),
        RedisException when IsAuthError(e.ToString()) => (RemoteFailureKind.Unauthorized, "redis: unauthorized: " + e.Message),
        RedisConnectionException when _authFailed => (RemoteFailureKind.Unauthorized, "redis: unauthorized (the last connection attempt failed on AUTH): " + e.Message),
        RedisConnectionException => (RemoteFailureKind.Unreachable, "redis: " + e.Message),
        RedisException or SocketException or IOException or AuthenticationException or ObjectDisposedException => (RemoteFailureKind.Other, "redis: " + e.Message),
        _ => null,
    };

    private static bool IsAuthError(string message) =>
        message.Contains("NOAUTH", StringComparison.Ordinal) || message.Contains("WRONGPASS", StringComparison.Ordinal) || message.Contains("NOPERM", StringComparison.Ordinal)
        || message.Contains("AuthenticationFailure", StringComparison.Ordinal);
}
