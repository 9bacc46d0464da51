namespace SharpCache.Storage.Remote.MultiLevel;

/// <summary>sccache's <c>write_error_policy</c> (<c>SCCACHE_MULTILEVEL_WRITE_ERROR_POLICY</c>). Read-only levels are always skipped.</summary>
public enum WriteErrorPolicy
{
    /// <summary><c>ignore</c>: every level is written in the background; a put never fails.</summary>
    Ignore,

    /// <summary><c>l0</c> (sccache's default): level 0 is written before the put returns and its failure fails the put; the others in the background.</summary>
    L0,

    /// <summary><c>all</c>: every level is written before the put returns; any failure fails the put.</summary>
    All,
}
