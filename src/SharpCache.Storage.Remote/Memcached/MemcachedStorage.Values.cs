using System.IO.Hashing;

namespace SharpCache.Storage.Remote.Memcached;

public sealed partial class MemcachedStorage
{
    /// <summary>Reads one item; a chunk header item is followed by its chunks, checked against the header.</summary>
    private static async Task<RemoteReadResult> ReadValueAsync(MemcachedConnection connection, string key, CancellationToken cancellationToken)
    {
        var head = await GetRawAsync(connection, key, cancellationToken).ConfigureAwait(false);
        switch (head.Status)
        {
            case BinaryStatus.NoError:
                break;
            case BinaryStatus.KeyNotFound:
                return RemoteReadResult.Miss.Instance;
            case BinaryStatus.AuthenticationError:
                return RemoteErrors.Read(RemoteFailureKind.Unauthorized, "memcached: unauthorized (the server requires SASL authentication)");
            default:
                return RemoteErrors.Read(RemoteFailureKind.Protocol, $"memcached: GET answered {head.Status}");
        }

        if (head.Flags != ChunkManifest.Flags)
        {
            return new RemoteReadResult.Hit(head.Value);
        }

        if (!ChunkManifest.TryDecode(head.Value, out var manifest))
        {
            return RemoteReadResult.Miss.Instance;
        }

        var value = new byte[manifest.TotalLength];
        var offset = 0;
        for (var i = 0; i < manifest.ChunkCount; i++)
        {
            var chunk = await GetRawAsync(connection, manifest.ChunkKey(key, i), cancellationToken).ConfigureAwait(false);
            if (chunk.Status != BinaryStatus.NoError || chunk.Value.Length > value.Length - offset)
            {
                // Evicted, expired or foreign chunk: the value is gone.
                return RemoteReadResult.Miss.Instance;
            }

            chunk.Value.CopyTo(value, offset);
            offset += chunk.Value.Length;
        }

        return offset == value.Length && XxHash64.HashToUInt64(value) == manifest.Checksum
            ? new RemoteReadResult.Hit(value)
            : RemoteReadResult.Miss.Instance;
    }

    /// <summary>Writes one item, or for a value over the item limit its chunks and then the header item.</summary>
    private async Task<RemoteWriteResult> WriteValueAsync(MemcachedConnection connection, string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.Length <= _chunkSize)
        {
            return ToWriteResult(await SetAsync(connection, key, 0, data, cancellationToken).ConfigureAwait(false));
        }

        var count = (data.Length + _chunkSize - 1) / _chunkSize;
        var manifest = new ChunkManifest(count, data.Length, (ulong)Random.Shared.NextInt64(), XxHash64.HashToUInt64(data.Span));
        for (var i = 0; i < count; i++)
        {
            var start = i * _chunkSize;
            var chunk = data.Slice(start, Math.Min(_chunkSize, data.Length - start));
            var written = ToWriteResult(await SetAsync(connection, manifest.ChunkKey(key, i), 0, chunk, cancellationToken).ConfigureAwait(false));
            if (written is not RemoteWriteResult.Written)
            {
                return written;
            }
        }

        return ToWriteResult(await SetAsync(connection, key, ChunkManifest.Flags, manifest.Encode(), cancellationToken).ConfigureAwait(false));
    }

    private static RemoteWriteResult ToWriteResult(BinaryResponse response) => response.Status switch
    {
        BinaryStatus.NoError => RemoteWriteResult.Written.Instance,
        BinaryStatus.ValueTooLarge => RemoteWriteResult.TooLarge.Instance,
        BinaryStatus.AuthenticationError => RemoteErrors.Write(RemoteFailureKind.Unauthorized, "memcached: unauthorized (the server requires SASL authentication)"),
        _ => RemoteErrors.Write(RemoteFailureKind.Protocol, $"memcached: SET answered {response.Status}"),
    };
}
