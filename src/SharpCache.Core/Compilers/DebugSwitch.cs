namespace SharpCache.Core.Compilers;

/// <summary>What one <c>-g*</c> argument does to debug-info generation.</summary>
internal enum DebugSwitch : byte
{
    /// <summary>Modifier only (<c>-gz</c>, <c>-gno-*</c>, <c>-gcolumn-info</c>...).</summary>
    Neutral,
    On,
    Off,
}
