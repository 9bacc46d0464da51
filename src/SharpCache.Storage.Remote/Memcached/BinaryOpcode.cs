namespace SharpCache.Storage.Remote.Memcached;

/// <summary>The memcached binary protocol commands this client sends.</summary>
internal enum BinaryOpcode : byte
{
    Get = 0x00,
    Set = 0x01,
    SaslAuth = 0x21,
}
