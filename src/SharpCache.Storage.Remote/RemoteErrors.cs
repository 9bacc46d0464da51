namespace SharpCache.Storage.Remote;

/// <summary>The one place that builds error results from exceptions, so every backend words and classifies them alike.</summary>
internal static class RemoteErrors
{
    public static RemoteReadResult.Error Read(RemoteFailureKind kind, string reason) => new(reason) { Kind = kind };

    public static RemoteWriteResult.Error Write(RemoteFailureKind kind, string reason) => new(reason) { Kind = kind };

    public static RemoteCheckResult Check(RemoteFailureKind kind, string reason) =>
        new(kind == RemoteFailureKind.Unauthorized ? RemoteCheckStatus.Unauthorized : RemoteCheckStatus.Unreachable, reason);

    /// <summary>The failure kind of a read or write result that is an error, else null.</summary>
    public static RemoteFailureKind? KindOf(object result) => result switch
    {
        RemoteReadResult.Error e => e.Kind,
        RemoteWriteResult.Error e => e.Kind,
        _ => null,
    };
}
