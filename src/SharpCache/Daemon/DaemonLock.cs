namespace SharpCache.Daemon;

/// <summary>
/// The "one daemon per socket" guarantee: an exclusive lock on <c>&lt;socket&gt;.lock</c>, held for
/// the daemon's life. .NET on Unix takes <c>flock(LOCK_EX|LOCK_NB)</c> for <see cref="FileShare.None"/>,
/// and the kernel drops it when the process dies, so a crashed daemon never blocks the next one.
/// The lock file is never deleted: deleting it would let two processes lock two different inodes.
/// </summary>
internal sealed class DaemonLock : IDisposable
{
    private readonly FileStream _stream;

    private DaemonLock(FileStream stream) => _stream = stream;

    public static string PathFor(string socketPath) => socketPath + ".lock";

    /// <summary>Takes the lock, or returns null when another process (or server) holds it.</summary>
    public static DaemonLock? TryAcquire(string lockPath)
    {
        try
        {
            var stream = new FileStream(lockPath, new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            return new DaemonLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
