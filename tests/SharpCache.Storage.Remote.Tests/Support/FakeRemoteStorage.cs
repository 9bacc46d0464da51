using System.Collections.Concurrent;

namespace SharpCache.Storage.Remote.Tests.Support;

/// <summary>An in-memory tier with switchable failures, counting the calls it gets.</summary>
internal sealed class FakeRemoteStorage(string name, bool readOnly = false) : IRemoteStorage
{
    private int _gets;
    private int _puts;

    public ConcurrentDictionary<string, byte[]> Items { get; } = new();

    public string Name { get; } = name;

    public string Location => "memory:" + Name;

    public bool IsReadOnly { get; } = readOnly;

    public bool FailReads { get; set; }

    public bool FailWrites { get; set; }

    /// <summary>When set, every call waits this long (honouring its token).</summary>
    public TimeSpan Delay { get; set; }

    public int Gets => Volatile.Read(ref _gets);

    public int Puts => Volatile.Read(ref _puts);

    public async Task<RemoteReadResult> GetAsync(string key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gets);
        await Task.Delay(Delay, cancellationToken);
        if (FailReads)
        {
            return new RemoteReadResult.Error(Name + ": read failed") { Kind = RemoteFailureKind.Unreachable };
        }

        return Items.TryGetValue(key, out var value) ? new RemoteReadResult.Hit(value) : RemoteReadResult.Miss.Instance;
    }

    public async Task<RemoteWriteResult> PutAsync(string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _puts);
        await Task.Delay(Delay, cancellationToken);
        if (IsReadOnly)
        {
            return RemoteWriteResult.ReadOnly.Instance;
        }

        if (FailWrites)
        {
            return new RemoteWriteResult.Error(Name + ": write failed") { Kind = RemoteFailureKind.Unreachable };
        }

        Items[key] = data.ToArray();
        return RemoteWriteResult.Written.Instance;
    }

    public Task<RemoteCheckResult> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new RemoteCheckResult(FailReads ? RemoteCheckStatus.Unreachable : IsReadOnly ? RemoteCheckStatus.ReadOnly : RemoteCheckStatus.ReadWrite));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
