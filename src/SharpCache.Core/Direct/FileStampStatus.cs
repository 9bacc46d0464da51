namespace SharpCache.Core.Direct;

/// <summary>What a single stat of a path found.</summary>
internal enum FileStampStatus
{
    /// <summary>Exists and is not a directory (regular file, device, ...).</summary>
    File,

    Directory,

    /// <summary>ENOENT or ENOTDIR: nothing there.</summary>
    Missing,

    /// <summary>Any other failure (EACCES, ELOOP, ...): callers treat it conservatively.</summary>
    Error,
}
