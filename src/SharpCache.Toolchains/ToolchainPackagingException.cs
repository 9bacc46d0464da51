namespace SharpCache.Toolchains;

/// <summary>
/// A toolchain cannot be packaged or loaded: the compiler does not exist or is not one we know, a
/// helper program or shared library is missing, an archive is unreadable. The message is meant for
/// the user as is. The caller compiles locally.
/// </summary>
public sealed class ToolchainPackagingException : Exception
{
    public ToolchainPackagingException()
    {
    }

    public ToolchainPackagingException(string message)
        : base(message)
    {
    }

    public ToolchainPackagingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
