using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SharpCache.Core.Hashing;

/// <summary>
/// Incremental BLAKE3 over typed, length-prefixed fields, so that ("ab","c") and ("a","bc")
/// never hash alike. Every key component goes through here.
/// </summary>
public sealed class KeyHasher : IDisposable
{
    private Blake3.Hasher _hasher = Blake3.Hasher.New();

    /// <summary>Adds a named string field: tag, length, UTF-8 bytes.</summary>
    public void Add(string tag, string value)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(value);
        AddTag(tag);
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = max <= 1024 ? null : ArrayPool<byte>.Shared.Rent(max);
        var buffer = rented ?? stackalloc byte[1024];
        var n = Encoding.UTF8.GetBytes(value, buffer);
        AddLength(n);
        _hasher.Update(buffer[..n]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Adds a named byte field: tag, length, bytes.</summary>
    public void Add(string tag, ReadOnlySpan<byte> value)
    {
        AddTag(tag);
        AddLength(value.Length);
        _hasher.Update(value);
    }

    /// <summary>Starts an unbounded streamed field (the preprocessed text): tag, then raw bytes via <see cref="Append"/>.</summary>
    public void BeginStream(string tag)
    {
        AddTag(tag);
        AddLength(-1);
    }

    public void Append(ReadOnlySpan<byte> data) => _hasher.Update(data);

    /// <summary>The 64-character lowercase hex digest.</summary>
    public string FinishHex()
    {
        var hash = _hasher.Finalize();
        return Convert.ToHexStringLower(hash.AsSpan());
    }

    public void Dispose() => _hasher.Dispose();

    /// <summary>BLAKE3 of a file's contents as hex; streams the file.</summary>
    public static string HashFile(string path)
    {
        using var hasher = Blake3.Hasher.New();
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        // Source files are small: size the buffer to the file (a fresh 128 KiB rent costs page faults on the hit path).
        var length = RandomAccess.GetLength(handle);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(length + 1, 4096, 128 * 1024));
        try
        {
            long offset = 0;
            int n;
            while ((n = RandomAccess.Read(handle, buffer, offset)) > 0)
            {
                hasher.Update(buffer.AsSpan(0, n));
                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hasher.Finalize().AsSpan());
    }

    /// <summary>
    /// XXH3-128 of a file's contents as hex: a fingerprint for large trusted local inputs whose
    /// identity only needs to change when they change (a toolchain's hundreds of MB of shared
    /// libraries), at ~10x BLAKE3's speed. Never for content that decides what a hit returns.
    /// </summary>
    public static string FingerprintFile(string path)
    {
        var hasher = new System.IO.Hashing.XxHash128();
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long offset = 0;
            int n;
            while ((n = RandomAccess.Read(handle, buffer, offset)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, n));
                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Convert.ToHexStringLower(hasher.GetCurrentHash());
    }

    private void AddTag(string tag)
    {
        Span<byte> buffer = stackalloc byte[64];
        var n = Encoding.ASCII.GetBytes(tag, buffer);
        _hasher.Update(buffer[..n]);
        _hasher.Update("\0"u8);
    }

    private void AddLength(int length)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, length);
        _hasher.Update(buffer);
    }
}
