namespace SharpCache.Protocol;

/// <summary>
/// The one-byte message type of a frame. Requests (client to daemon) are below 0x80, responses
/// (daemon to client) have the high bit set. Values are part of the wire format: never renumber.
/// </summary>
public enum MessageType : byte
{
    /// <summary>Liveness probe; answered with <see cref="Pong"/> carrying the daemon's version.</summary>
    Ping = 0x01,

    /// <summary>One <see cref="CompileRecord"/>; fire-and-forget, no response.</summary>
    RecordCompile = 0x02,

    /// <summary>Asks for a <see cref="Stats"/> response.</summary>
    GetStats = 0x03,

    /// <summary>Resets the counters; answered with <see cref="ZeroStatsAck"/>.</summary>
    ZeroStats = 0x04,

    /// <summary>Stops the daemon; answered with <see cref="ShuttingDown"/> (final stats).</summary>
    Shutdown = 0x05,

    /// <summary>Payload: the daemon's product version string.</summary>
    Pong = 0x81,

    /// <summary>Payload: a <see cref="ServerInfo"/>.</summary>
    Stats = 0x82,

    /// <summary>No payload.</summary>
    ZeroStatsAck = 0x83,

    /// <summary>Payload: the final <see cref="ServerInfo"/>.</summary>
    ShuttingDown = 0x84,

    /// <summary>Payload: a UTF-8 message.</summary>
    Error = 0x85,
}
