using SharpCache.Dist.Archives;

namespace SharpCache.Dist.Server;

/// <summary>Outcome of <see cref="ToolchainCache.StoreAsync"/>. Closed set of cases.</summary>
internal abstract record ToolchainStoreResult
{
    private ToolchainStoreResult()
    {
    }

    public sealed record Stored(long Bytes) : ToolchainStoreResult;

    public sealed record AlreadyPresent : ToolchainStoreResult;

    /// <summary>The archive did not hash to its id.</summary>
    public sealed record HashMismatch(string Actual) : ToolchainStoreResult;

    /// <summary>The archive was unsafe or unreadable.</summary>
    public sealed record Unsafe(UnpackError Error) : ToolchainStoreResult;

    /// <summary>The archive or its unpacked tree exceeds a limit or the whole cache.</summary>
    public sealed record TooLarge(string Reason) : ToolchainStoreResult;
}
