namespace SharpCache.Storage.Remote.Memcached;

/// <summary>One binary-protocol response: status, the flags from GET's extras (0 otherwise), and the value.</summary>
internal readonly record struct BinaryResponse(BinaryStatus Status, uint Flags, byte[] Value);
