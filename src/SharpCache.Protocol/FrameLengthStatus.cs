namespace SharpCache.Protocol;

/// <summary>What a frame's length prefix says about the frame.</summary>
public enum FrameLengthStatus
{
    /// <summary>The body length is usable.</summary>
    Ok,

    /// <summary>Shorter than the version and type bytes: garbage.</summary>
    TooShort,

    /// <summary>Larger than the receiver accepts (<c>SCCACHE_MAX_FRAME_LENGTH</c>).</summary>
    TooLarge,
}
