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

    /// <summary>
    /// Asks the daemon's remote tiers for one key (payload: the key string); answered with
    /// <see cref="RemoteGetReply"/>. Sent by a client after a local-disk miss.
    /// </summary>
    RemoteGet = 0x06,

    /// <summary>
    /// Hands an entry or manifest to the daemon for its remote tiers (payload: key string, then the
    /// bytes); fire-and-forget, no response: the daemon writes in the background.
    /// </summary>
    RemotePut = 0x07,

    /// <summary>
    /// Asks the daemon to run one compile on the build cluster (payload: a <see cref="DistCompileRequest"/>,
    /// see <see cref="DistMessageCodec"/>); answered with <see cref="DistCompileReply"/>.
    /// </summary>
    DistCompile = 0x08,

    /// <summary>
    /// Sent ahead of a <see cref="DistCompile"/> on the same connection, before the client preprocesses (payload: the
    /// compiler path and the path it was invoked as, see <see cref="DistMessageCodec"/>); no response. The daemon
    /// resolves the toolchain and allocates the job while the preprocessor runs; a connection that closes without
    /// the compile leaves the job to the next compile of that toolchain.
    /// </summary>
    DistPrepare = 0x09,

    /// <summary>
    /// A piece of a compile's preprocessed text, sent on a <see cref="DistPrepare"/> connection while the preprocessor still
    /// runs (payload: the bytes); no response. The pieces are the start of the first input of the
    /// <see cref="DistCompileRest"/> that follows: the daemon has a C++ unit's megabytes before the preprocessor's end
    /// instead of receiving them after it. A daemon from before this message closes the connection on it (unknown type);
    /// the client then sends the whole <see cref="DistCompile"/> on a new one.
    /// </summary>
    DistText = 0x0A,

    /// <summary>
    /// A <see cref="DistCompile"/> whose first input's content is only the rest of the text after the
    /// <see cref="DistText"/> pieces sent before it on the connection (same payload layout); answered as a
    /// <see cref="DistCompile"/>.
    /// </summary>
    DistCompileRest = 0x0B,

    /// <summary>
    /// The text sent ahead (<see cref="DistText"/>) is whole, and the compile's other inputs follow it (payload: a count, then
    /// path and content each, as a <see cref="DistCompile"/>'s inputs after the text); no response. Sent when the preprocessor's
    /// output ends, before its exit is reaped: the daemon ends the job sent ahead at once, so the build server can start the
    /// compile while the client waits for that exit (0.5-1.5 ms). The <see cref="DistCompileRest"/> that follows names the
    /// same inputs; a compile that does not come leaves the job to run unused. A daemon from before this message closes the
    /// connection on it (unknown type): the client then sends the whole <see cref="DistCompile"/> on a new one.
    /// </summary>
    DistTextEnd = 0x0C,

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

    /// <summary>Payload: see <see cref="RemoteMessageCodec"/>: a status byte, then the bytes (hit) or a reason (error).</summary>
    RemoteGetReply = 0x86,

    /// <summary>Payload: a <see cref="DistCompileResult"/> (see <see cref="DistMessageCodec"/>).</summary>
    DistCompileReply = 0x87,

    /// <summary>
    /// Follows a <see cref="DistCompileReply"/> whose result has <see cref="DistCompileResult.StorePending"/>, once the daemon
    /// has written the entry. Payload: see <see cref="DistMessageCodec.WriteStored"/>.
    /// </summary>
    DistStored = 0x88,
}
