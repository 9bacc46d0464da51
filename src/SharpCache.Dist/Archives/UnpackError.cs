namespace SharpCache.Dist.Archives;

/// <summary>Why an archive was refused. Each case has a clear message for the uploader.</summary>
public enum UnpackErrorKind
{
    Corrupt,
    AbsolutePath,
    PathTraversal,
    SymlinkEscapes,
    ThroughSymlink,
    HardlinkInvalid,
    DeviceOrFifo,
    UnsupportedEntry,
    TooLarge,
    TooManyFiles,
}

/// <summary>A refused archive: the kind, the entry at fault and a sentence for the log and the client.</summary>
public sealed record UnpackError(UnpackErrorKind Kind, string Entry, string Message)
{
    public override string ToString() => Entry.Length == 0 ? Message : $"{Message}: '{Entry}'";
}
