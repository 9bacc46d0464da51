namespace SharpCache.Storage.Remote.Memcached;

/// <summary>Response status codes of the memcached binary protocol.</summary>
internal enum BinaryStatus : ushort
{
    NoError = 0x0000,
    KeyNotFound = 0x0001,
    KeyExists = 0x0002,
    ValueTooLarge = 0x0003,
    InvalidArguments = 0x0004,
    ItemNotStored = 0x0005,
    AuthenticationError = 0x0020,
    AuthenticationContinue = 0x0021,
    UnknownCommand = 0x0081,
    OutOfMemory = 0x0082,
}
