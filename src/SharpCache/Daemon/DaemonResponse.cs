using SharpCache.Protocol;

namespace SharpCache.Daemon;

/// <summary>A decoded daemon response: its type, and the stats or the text it carried.</summary>
internal sealed record DaemonResponse(MessageType Type, ServerInfo? Info, string? Text);
