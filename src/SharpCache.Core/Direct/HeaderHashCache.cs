using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace SharpCache.Core.Direct;

/// <summary>
/// Digests of files by identity (device, inode, size, mtime, ctime), shared by every compile of a cache directory, so a
/// header that has not changed is not read and hashed again for each unit that includes it (ccache's inode cache): a C++
/// unit reads a few MB of headers for its direct-mode entry, a Firefox one tens of MB. One file of fixed size, sets of
/// <see cref="Ways"/> slots of <see cref="SlotSize"/> bytes read and written with pread/pwrite and no lock: each slot carries
/// a checksum of its content, so a slot torn by two writers, or read while written, reads as empty. Only stamps older than
/// <see cref="MinAge"/> are stored or used: a file written twice within its timestamps' resolution keeps its stamp, and
/// any change to a file sets its ctime to the present, which no stored stamp has. The file is part of the cache's footprint:
/// at most a 32nd of the cache's size limit (8 MiB from a 256 MiB limit on), none below an 8 MiB limit.
/// </summary>
internal sealed class HeaderHashCache : IDisposable
{
    public const string FileName = "header-hashes-v1";

    private const int SlotSize = 128;
    private const int Ways = 4;
    private const int SetSize = Ways * SlotSize;
    private const long MaxFileSize = 8 << 20; // sparse until used
    private const long MinFileSize = 256 << 10;
    private const int ChecksumAt = SlotSize - 8;
    private const byte Valid = 1;
    private const byte Scanned = 2;
    private const byte TimeMacro = 4;
    private const long MinAge = 2_000_000_000;

    private readonly SafeFileHandle _handle;
    private readonly long _sets;

    private HeaderHashCache(SafeFileHandle handle, long sets)
    {
        _handle = handle;
        _sets = sets;
    }

    /// <summary>
    /// Opens (creating it if needed) the digests file in <paramref name="directory"/>, sized for a cache of
    /// <paramref name="maxCacheSize"/> bytes; null when that cannot be done or the cache is too small (files are then hashed as before).
    /// </summary>
    public static HeaderHashCache? TryOpen(string directory, long maxCacheSize)
    {
        var size = Math.Min(MaxFileSize, maxCacheSize / 32) / SetSize * SetSize;
        if (size < MinFileSize)
        {
            return null;
        }

        try
        {
            Directory.CreateDirectory(directory);
            var handle = File.OpenHandle(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            if (RandomAccess.GetLength(handle) != size)
            {
                // Another limit than the last compile's: the sets move, old slots are only misses.
                RandomAccess.SetLength(handle, size);
            }

            return new HeaderHashCache(handle, size / SetSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The digest recorded for a file with <paramref name="stamp"/>, and whether it names a time macro (only when
    /// <paramref name="scanTimeMacros"/> and the entry was scanned). <paramref name="nowNs"/>: the present, Unix ns.
    /// </summary>
    public bool TryGet(in FileStamp stamp, long nowNs, bool scanTimeMacros, out FileDigest digest, out bool hasTimeMacro)
    {
        digest = default;
        hasTimeMacro = false;
        if (!Usable(stamp, nowNs))
        {
            return false;
        }

        Span<byte> set = stackalloc byte[SetSize];
        if (!TryRead(SetOffset(stamp), set))
        {
            return false;
        }

        for (var way = 0; way < Ways; way++)
        {
            var slot = set.Slice(way * SlotSize, SlotSize);
            if (Matches(slot, stamp, out var flags) && (!scanTimeMacros || (flags & Scanned) != 0))
            {
                digest = FileDigest.Read(slot.Slice(40, FileDigest.Size));
                hasTimeMacro = (flags & TimeMacro) != 0;
                return true;
            }
        }

        return false;
    }

    /// <summary>Records the digest of a file with <paramref name="stamp"/> (read before the file was).</summary>
    public void Put(in FileStamp stamp, long nowNs, FileDigest digest, bool scannedTimeMacros, bool hasTimeMacro)
    {
        if (!Usable(stamp, nowNs))
        {
            return;
        }

        var offset = SetOffset(stamp);
        Span<byte> set = stackalloc byte[SetSize];
        if (!TryRead(offset, set))
        {
            return;
        }

        // The slot of this file if it has one (an older version), else an empty one, else one picked by its identity.
        var way = -1;
        for (var i = 0; i < Ways && way < 0; i++)
        {
            var slot = set.Slice(i * SlotSize, SlotSize);
            if (SameFile(slot, stamp) || !IsValid(slot))
            {
                way = i;
            }
        }

        if (way < 0)
        {
            way = (int)((stamp.Inode ^ (ulong)stamp.MtimeNs) % Ways);
        }

        Span<byte> entry = stackalloc byte[SlotSize];
        entry.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(entry, stamp.Device);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[8..], stamp.Inode);
        BinaryPrimitives.WriteInt64LittleEndian(entry[16..], stamp.Size);
        BinaryPrimitives.WriteInt64LittleEndian(entry[24..], stamp.MtimeNs);
        BinaryPrimitives.WriteInt64LittleEndian(entry[32..], stamp.CtimeNs);
        digest.Write(entry.Slice(40, FileDigest.Size));
        entry[72] = (byte)(Valid | (scannedTimeMacros ? Scanned : 0) | (hasTimeMacro ? TimeMacro : 0));
        BinaryPrimitives.WriteUInt64LittleEndian(entry[ChecksumAt..], XxHash64.HashToUInt64(entry[..ChecksumAt]));
        try
        {
            RandomAccess.Write(_handle, entry, offset + (way * SlotSize));
        }
        catch (IOException)
        {
            // A full disk: the next compile hashes the file again.
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>A stamp to trust: a real inode, and no change in the last <see cref="MinAge"/>.</summary>
    private static bool Usable(in FileStamp stamp, long nowNs) =>
        stamp.IsTrustworthy && Math.Max(stamp.MtimeNs, stamp.CtimeNs) < nowNs - MinAge;

    private long SetOffset(in FileStamp stamp)
    {
        Span<byte> identity = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(identity, stamp.Device);
        BinaryPrimitives.WriteUInt64LittleEndian(identity[8..], stamp.Inode);
        return (long)(XxHash64.HashToUInt64(identity) % (ulong)_sets) * SetSize;
    }

    private bool TryRead(long offset, Span<byte> set)
    {
        try
        {
            var n = RandomAccess.Read(_handle, set, offset);
            set[n..].Clear();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool IsValid(ReadOnlySpan<byte> slot) =>
        (slot[72] & Valid) != 0 && BinaryPrimitives.ReadUInt64LittleEndian(slot[ChecksumAt..]) == XxHash64.HashToUInt64(slot[..ChecksumAt]);

    private static bool SameFile(ReadOnlySpan<byte> slot, in FileStamp stamp) =>
        IsValid(slot) && BinaryPrimitives.ReadUInt64LittleEndian(slot) == stamp.Device && BinaryPrimitives.ReadUInt64LittleEndian(slot[8..]) == stamp.Inode;

    private static bool Matches(ReadOnlySpan<byte> slot, in FileStamp stamp, out byte flags)
    {
        flags = slot[72];
        return SameFile(slot, stamp)
            && BinaryPrimitives.ReadInt64LittleEndian(slot[16..]) == stamp.Size
            && BinaryPrimitives.ReadInt64LittleEndian(slot[24..]) == stamp.MtimeNs
            && BinaryPrimitives.ReadInt64LittleEndian(slot[32..]) == stamp.CtimeNs;
    }
}
