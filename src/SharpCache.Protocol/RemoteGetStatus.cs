namespace SharpCache.Protocol;

/// <summary>First byte of a <see cref="MessageType.RemoteGetReply"/>. Wire values: never renumber.</summary>
public enum RemoteGetStatus : byte
{
    Miss = 0,
    Hit = 1,

    /// <summary>Every tier failed or timed out (counted by the daemon); the client treats it as a miss.</summary>
    Error = 2,

    /// <summary>This daemon has no remote tiers configured.</summary>
    NoTiers = 3,
}
