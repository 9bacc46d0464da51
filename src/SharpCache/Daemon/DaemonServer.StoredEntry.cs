using SharpCache.Protocol;

namespace SharpCache.Daemon;

/// <summary>
/// Entries the daemon writes for distributed compiles whose clients report the write in their stats records
/// (<see cref="DistStoreRequest.ReportInRecord"/>): the client ends once its outputs are written, and its record comes on the
/// compile's connection after the daemon's write. A stats request (or a reset) waits for the records of the writes under way
/// when it came, so that <c>-s</c> run after a compile returned counts that compile.
/// </summary>
internal sealed partial class DaemonServer
{
    /// <summary>Bound on a stats request's wait for the records of writes under way (a disk write each).</summary>
    internal static readonly TimeSpan PendingRecordsWait = TimeSpan.FromSeconds(5);

    private readonly PendingRecords _pendingRecords = new();

    /// <summary>The writes whose records have not come yet, each a task completed when its record comes or its connection ends.</summary>
    private sealed class PendingRecords
    {
        private readonly Lock _lock = new();
        private readonly HashSet<TaskCompletionSource> _pending = [];
        private volatile bool _any;

        public bool Any => _any;

        public TaskCompletionSource Add()
        {
            var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                _pending.Add(pending);
                _any = true;
            }

            return pending;
        }

        public void Done(TaskCompletionSource pending)
        {
            lock (_lock)
            {
                _pending.Remove(pending);
                _any = _pending.Count > 0;
            }

            pending.TrySetResult();
        }

        /// <summary>Waits for the records pending now (not for writes that begin meanwhile), at most <paramref name="bound"/>.</summary>
        public async Task WaitAsync(TimeSpan bound)
        {
            Task[] waiting;
            lock (_lock)
            {
                waiting = [.. _pending.Select(p => p.Task)];
            }

            try
            {
                await Task.WhenAll(waiting).WaitAsync(bound).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A record that does not come (a client stopped between its outputs and its record) must not stall stats.
            }
        }
    }

    /// <summary>
    /// One connection's entry write for a client that reports it in its record (<see cref="CompileRecord.StoredByDaemon"/>): begun
    /// before the answer goes out, its outcome kept once written, taken by the record (once), let go when the connection ends.
    /// </summary>
    private sealed class StoredEntry(PendingRecords pendingRecords)
    {
        private TaskCompletionSource? _pending;
        private byte? _outcome;
        private long _micros;

        public void Begin()
        {
            Release();
            _outcome = null;
            _pending = pendingRecords.Add();
        }

        public void Set(byte outcome, long micros) => (_outcome, _micros) = (outcome, micros);

        /// <summary>
        /// <paramref name="record"/> with the daemon's write in it (a record with none on this connection counts no write); the
        /// caller releases the wait (<see cref="Release"/>) once the record is counted.
        /// </summary>
        public CompileRecord Complete(CompileRecord record)
        {
            var outcome = _outcome;
            _outcome = null;
            return record with
            {
                StoredByDaemon = false,
                CacheWritten = outcome == DistStore.Stored,
                CacheWriteError = outcome == DistStore.Failed,
                WriteMicros = outcome is null ? 0 : _micros,
            };
        }

        public void Release()
        {
            if (_pending is { } pending)
            {
                _pending = null;
                pendingRecords.Done(pending);
            }
        }
    }
}
