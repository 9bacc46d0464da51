using System.Globalization;

namespace SharpCache.Storage.Remote.Resilience;

/// <summary>
/// Wraps one tier with per-operation timeouts and a circuit breaker, so a tier that is down or
/// stalls costs a bounded time once and is then skipped without I/O until its break ends. Every
/// call returns a result (never throws): a timeout, an exception from the inner tier or an open
/// circuit is an error result with <see cref="RemoteFailureKind.Timeout"/>, <see cref="RemoteFailureKind.Other"/>
/// or <see cref="RemoteFailureKind.CircuitOpen"/>. A call the caller cancels is an error result
/// that does not count against the tier. Owns (disposes) the inner tier.
/// </summary>
public sealed class ResilientRemoteStorage : IRemoteStorage
{
    private readonly ResilienceOptions _options;
    private readonly CircuitBreaker _breaker;
    private long _errors;
    private long _timeouts;
    private long _shortCircuits;

    public ResilientRemoteStorage(IRemoteStorage inner, ResilienceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
        _options = options ?? ResilienceOptions.Default;
        _breaker = new CircuitBreaker(_options.FailureThreshold, _options.BreakDuration, _options.TimeProvider);
    }

    public IRemoteStorage Inner { get; }

    public string Name => Inner.Name;

    public string Location => Inner.Location;

    public bool IsReadOnly => Inner.IsReadOnly;

    public CircuitState CircuitState => _breaker.State;

    public ResilienceStatsSnapshot GetStats() => new(
        Interlocked.Read(ref _errors),
        Interlocked.Read(ref _timeouts),
        Interlocked.Read(ref _shortCircuits),
        _breaker.Openings,
        _breaker.State);

    public async Task<RemoteReadResult> GetAsync(string key, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(ct => Inner.GetAsync(key, ct), _options.GetTimeout, r => r is RemoteReadResult.Error, cancellationToken).ConfigureAwait(false);
        return outcome.Result ?? RemoteErrors.Read(outcome.FailureKind, outcome.FailureReason!);
    }

    public async Task<RemoteWriteResult> PutAsync(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (Inner.IsReadOnly)
        {
            return RemoteWriteResult.ReadOnly.Instance;
        }

        var outcome = await RunAsync(ct => Inner.PutAsync(key, data, ct), _options.PutTimeout, r => r is RemoteWriteResult.Error, cancellationToken).ConfigureAwait(false);
        return outcome.Result ?? RemoteErrors.Write(outcome.FailureKind, outcome.FailureReason!);
    }

    public async Task<RemoteCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(
            Inner.CheckAsync,
            _options.CheckTimeout,
            r => r.Status is RemoteCheckStatus.Unreachable or RemoteCheckStatus.Unauthorized,
            cancellationToken).ConfigureAwait(false);
        return outcome.Result ?? RemoteErrors.Check(outcome.FailureKind, outcome.FailureReason!);
    }

    public ValueTask DisposeAsync() => Inner.DisposeAsync();

    private async Task<Outcome<T>> RunAsync<T>(Func<CancellationToken, Task<T>> call, TimeSpan timeout, Func<T, bool> isFailure, CancellationToken cancellationToken)
        where T : class
    {
        if (!_breaker.TryAcquire(out var retryIn))
        {
            Interlocked.Increment(ref _shortCircuits);
            return new(null, RemoteFailureKind.CircuitOpen, $"{Name}: skipped, the tier failed {_options.FailureThreshold} times in a row (retry in {retryIn.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s)");
        }

        using var timeoutSource = new CancellationTokenSource(timeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            // WaitAsync bounds the call even when the inner tier ignores its token.
            var result = await call(linked.Token).WaitAsync(timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            if (timeoutSource.IsCancellationRequested && isFailure(result))
            {
                return Fail<T>(timedOut: true, RemoteFailureKind.Timeout, TimeoutReason(timeout));
            }

            if (isFailure(result))
            {
                return Fail<T>(timedOut: RemoteErrors.KindOf(result) == RemoteFailureKind.Timeout, null, null, result);
            }

            _breaker.OnSuccess();
            return new(result, default, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _breaker.OnAbandoned();
            return new(null, RemoteFailureKind.Timeout, $"{Name}: cancelled by the caller");
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            return Fail<T>(timedOut: true, RemoteFailureKind.Timeout, TimeoutReason(timeout));
        }
#pragma warning disable CA1031 // The contract is "never throws": a bug in a tier becomes an error result, counted.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Fail<T>(timedOut: false, RemoteFailureKind.Other, $"{Name}: {e.GetType().Name}: {e.Message}");
        }
    }

    private Outcome<T> Fail<T>(bool timedOut, RemoteFailureKind? kind, string? reason, T? result = null)
        where T : class
    {
        Interlocked.Increment(ref _errors);
        if (timedOut)
        {
            Interlocked.Increment(ref _timeouts);
        }

        _breaker.OnFailure();
        return new(result, kind ?? RemoteFailureKind.Other, reason);
    }

    private string TimeoutReason(TimeSpan timeout) =>
        $"{Name}: timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";

    private readonly record struct Outcome<T>(T? Result, RemoteFailureKind FailureKind, string? FailureReason)
        where T : class;
}
