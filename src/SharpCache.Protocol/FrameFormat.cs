namespace SharpCache.Protocol;

/// <summary>
/// Framing of every client/daemon message:
/// <c>[u32 big-endian body length][u8 protocol version][u8 message type][payload]</c>.
/// The body length counts the version and type bytes, so it is at least <see cref="MinBodyLength"/>.
/// A peer that sees a version it does not speak answers <see cref="MessageType.Error"/> and closes.
/// </summary>
public static class FrameFormat
{
    /// <summary>Bump on any incompatible change of a payload layout.</summary>
    public const byte Version = 2;

    /// <summary>Size of the length prefix.</summary>
    public const int PrefixLength = 4;

    /// <summary>Version byte + type byte.</summary>
    public const int MinBodyLength = 2;
}
