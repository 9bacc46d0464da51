namespace SharpCache.Admin;

/// <summary><c>--stats-format</c>.</summary>
internal enum StatsFormat
{
    Text,
    Json,
}
