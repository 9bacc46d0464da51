namespace SharpCache.Core.Entries;

/// <summary>
/// One output file in an entry. <paramref name="Name"/> is the role (<c>obj</c>, <c>d</c>,
/// <c>dwo</c>, <c>gcno</c>), not a path: paths come from the command line that restores it.
/// </summary>
public sealed record EntryFile(string Name, int UnixMode, ReadOnlyMemory<byte> Content);
