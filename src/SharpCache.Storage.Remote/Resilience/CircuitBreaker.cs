namespace SharpCache.Storage.Remote.Resilience;

/// <summary>
/// Consecutive-failure circuit breaker: <see cref="ResilienceOptions.FailureThreshold"/> failures
/// in a row open it for <see cref="ResilienceOptions.BreakDuration"/>; then exactly one caller
/// gets a trial (half-open) while others are still refused; a trial success closes it, a trial
/// failure opens it for another break. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class CircuitBreaker
{
    private readonly Lock _lock = new();
    private readonly int _threshold;
    private readonly TimeSpan _breakDuration;
    private readonly TimeProvider _time;
    private CircuitState _state = CircuitState.Closed;
    private int _consecutiveFailures;
    private DateTimeOffset _openUntil;
    private long _openings;

    public CircuitBreaker(int threshold, TimeSpan breakDuration, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(breakDuration, TimeSpan.Zero);
        _threshold = threshold;
        _breakDuration = breakDuration;
        _time = time;
    }

    public CircuitState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Times the circuit went from closed or half-open to open.</summary>
    public long Openings => Interlocked.Read(ref _openings);

    /// <summary>Whether a call may go out now; when refused, <paramref name="retryIn"/> says how long the break still lasts.</summary>
    public bool TryAcquire(out TimeSpan retryIn)
    {
        lock (_lock)
        {
            retryIn = TimeSpan.Zero;
            switch (_state)
            {
                case CircuitState.Closed:
                    return true;
                case CircuitState.Open:
                    var now = _time.GetUtcNow();
                    if (now < _openUntil)
                    {
                        retryIn = _openUntil - now;
                        return false;
                    }

                    _state = CircuitState.HalfOpen;
                    return true;
                default:
                    // A trial is in flight: everyone else waits for its verdict.
                    return false;
            }
        }
    }

    public void OnSuccess()
    {
        lock (_lock)
        {
            _state = CircuitState.Closed;
            _consecutiveFailures = 0;
        }
    }

    public void OnFailure()
    {
        lock (_lock)
        {
            _consecutiveFailures++;
            if (_state == CircuitState.HalfOpen || (_state == CircuitState.Closed && _consecutiveFailures >= _threshold))
            {
                _state = CircuitState.Open;
                _openUntil = _time.GetUtcNow() + _breakDuration;
                _openings++;
            }
        }
    }

    /// <summary>The caller gave up (not the tier's fault): a half-open trial is handed back so the next call can try.</summary>
    public void OnAbandoned()
    {
        lock (_lock)
        {
            if (_state == CircuitState.HalfOpen)
            {
                _state = CircuitState.Open;
                _openUntil = _time.GetUtcNow();
            }
        }
    }
}
