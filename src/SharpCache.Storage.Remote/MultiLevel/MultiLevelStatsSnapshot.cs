namespace SharpCache.Storage.Remote.MultiLevel;

/// <summary>The chain's counters: one entry per level in chain order, and its background work.</summary>
/// <param name="Levels">Per-level counters, fastest first.</param>
/// <param name="PendingBackgroundWrites">Back-fills and deferred puts still in flight.</param>
/// <param name="DroppedBackgroundWrites">Background writes dropped because too many were in flight.</param>
public sealed record MultiLevelStatsSnapshot(IReadOnlyList<LevelStatsSnapshot> Levels, int PendingBackgroundWrites, long DroppedBackgroundWrites);
