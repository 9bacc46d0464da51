namespace SharpCache.Storage.Remote;

/// <summary>
/// sccache's start-up probe, shared by the backends: a read-write tier writes
/// <see cref="RemoteKeyLayout.CheckObjectName"/> (<c>Hello, World!</c>) and reads it back; a
/// write refused for lack of permission while reads work means read-only; a read-only tier only
/// reads (a miss is fine).
/// </summary>
internal static class RemoteCheck
{
    public static ReadOnlyMemory<byte> Content { get; } = "Hello, World!"u8.ToArray();

    public static async Task<RemoteCheckResult> RunAsync(
        bool readOnly,
        Func<CancellationToken, Task<RemoteReadResult>> read,
        Func<CancellationToken, Task<RemoteWriteResult>> write,
        CancellationToken cancellationToken)
    {
        if (!readOnly)
        {
            var written = await write(cancellationToken).ConfigureAwait(false);
            switch (written)
            {
                case RemoteWriteResult.Written:
                    return await read(cancellationToken).ConfigureAwait(false) switch
                    {
                        RemoteReadResult.Hit => new RemoteCheckResult(RemoteCheckStatus.ReadWrite),
                        RemoteReadResult.Error e => RemoteErrors.Check(e.Kind, e.Reason),
                        _ => new RemoteCheckResult(RemoteCheckStatus.ReadWrite, "the check object was written but not read back"),
                    };
                case RemoteWriteResult.Error { Kind: not RemoteFailureKind.Unauthorized } e:
                    return RemoteErrors.Check(e.Kind, e.Reason);
                case RemoteWriteResult.Error e:
                    return await read(cancellationToken).ConfigureAwait(false) is RemoteReadResult.Error
                        ? RemoteErrors.Check(e.Kind, e.Reason)
                        : new RemoteCheckResult(RemoteCheckStatus.ReadOnly, "writes refused: " + e.Reason);
                default:
                    break;
            }
        }

        return await read(cancellationToken).ConfigureAwait(false) switch
        {
            RemoteReadResult.Error e => RemoteErrors.Check(e.Kind, e.Reason),
            _ => new RemoteCheckResult(RemoteCheckStatus.ReadOnly),
        };
    }
}
