namespace SharpCache.TestServers;

/// <summary>A test server could not be started: its binary is missing, or it did not answer in time (the message carries its log).</summary>
public sealed class ServerUnavailableException : Exception
{
    public ServerUnavailableException()
    {
    }

    public ServerUnavailableException(string message)
        : base(message)
    {
    }

    public ServerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
