namespace SharpCache.Storage.Remote.MultiLevel;

/// <summary>
/// Tracks fire-and-forget writes (back-fills, deferred puts) so the daemon can wait for them at
/// shutdown. At most <c>capacity</c> run at once; beyond that a write is dropped and counted
/// (a cache write is an optimisation: dropping one costs a later miss, never correctness).
/// </summary>
internal sealed class BackgroundWrites
{
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private int _pending;
    private long _dropped;
    private TaskCompletionSource? _idle;

    public BackgroundWrites(int capacity, TimeSpan timeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _timeout = timeout;
        _time = time;
    }

    public int Pending => Volatile.Read(ref _pending);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Starts <paramref name="work"/> on the thread pool, with a token that fires after the write timeout, unless too many are in flight; false when dropped.</summary>
    public bool TryStart(Func<CancellationToken, Task> work)
    {
        lock (_lock)
        {
            if (_pending >= _capacity)
            {
                _dropped++;
                return false;
            }

            _pending++;
        }

        _ = Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(_timeout, _time);
            try
            {
                await work(timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                Complete();
            }
        });
        return true;
    }

    /// <summary>Waits until nothing is in flight or <paramref name="timeout"/> passes; true when all finished.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task idle;
        lock (_lock)
        {
            if (_pending == 0)
            {
                return true;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        try
        {
            await idle.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void Complete()
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            _pending--;
            if (_pending == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }

        idle?.TrySetResult();
    }
}
