namespace SharpCache.Dist;

/// <summary>A role cannot start for a reason outside its config file (no bubblewrap, not root, port taken…). Exit code 1.</summary>
public sealed class DistStartupException : Exception
{
    public DistStartupException()
    {
    }

    public DistStartupException(string message) : base(message)
    {
    }

    public DistStartupException(string message, Exception inner) : base(message, inner)
    {
    }
}
