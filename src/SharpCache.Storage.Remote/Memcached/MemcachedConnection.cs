using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace SharpCache.Storage.Remote.Memcached;

/// <summary>
/// One TCP connection speaking memcached's binary protocol, one request at a time. Any
/// failure or cancellation mid-request leaves the stream in an unknown state: the owner must
/// dispose the connection, never reuse it.
/// </summary>
internal sealed class MemcachedConnection : IDisposable
{
    private const int HeaderSize = 24;
    private const byte RequestMagic = 0x80;
    private const byte ResponseMagic = 0x81;

    /// <summary>Largest response body accepted (guards against a garbage length): 1 GiB.</summary>
    private const int MaxBodyLength = 1 << 30;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _header = new byte[HeaderSize];
    private uint _opaque;

    private MemcachedConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<MemcachedConnection> ConnectAsync(string host, int port, string? username, string? password, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        MemcachedConnection? connection = null;
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            connection = new MemcachedConnection(socket);
            if (username is not null)
            {
                await connection.AuthenticateAsync(username, password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            if (connection is null)
            {
                socket.Dispose();
            }
            else
            {
                connection.Dispose();
            }

            throw;
        }
    }

    public async Task<BinaryResponse> ExecuteAsync(BinaryOpcode opcode, ReadOnlyMemory<byte> extras, string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        var keyLength = Encoding.ASCII.GetByteCount(key);
        var request = new byte[HeaderSize + extras.Length + keyLength];
        request[0] = RequestMagic;
        request[1] = (byte)opcode;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), (ushort)keyLength);
        request[4] = (byte)extras.Length;
        BinaryPrimitives.WriteUInt32BigEndian(request.AsSpan(8), (uint)(extras.Length + keyLength + value.Length));
        var opaque = ++_opaque;
        BinaryPrimitives.WriteUInt32BigEndian(request.AsSpan(12), opaque);
        extras.Span.CopyTo(request.AsSpan(HeaderSize));
        Encoding.ASCII.GetBytes(key, request.AsSpan(HeaderSize + extras.Length));
        await _stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        if (!value.IsEmpty)
        {
            await _stream.WriteAsync(value, cancellationToken).ConfigureAwait(false);
        }

        await _stream.ReadExactlyAsync(_header, cancellationToken).ConfigureAwait(false);
        if (_header[0] != ResponseMagic || BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(12)) != opaque)
        {
            throw new MemcachedException("memcached: the server's answer is not a binary-protocol response to this request");
        }

        var status = (BinaryStatus)BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(6));
        var responseKeyLength = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
        var extrasLength = _header[4];
        var bodyLength = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(8));
        if (bodyLength > MaxBodyLength || bodyLength < (uint)(extrasLength + responseKeyLength))
        {
            throw new MemcachedException($"memcached: bad response body length {bodyLength}");
        }

        var flags = 0u;
        if (extrasLength > 0)
        {
            var extrasBuffer = new byte[extrasLength];
            await _stream.ReadExactlyAsync(extrasBuffer, cancellationToken).ConfigureAwait(false);
            flags = extrasLength >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(extrasBuffer) : 0;
        }

        if (responseKeyLength > 0)
        {
            await _stream.ReadExactlyAsync(new byte[responseKeyLength], cancellationToken).ConfigureAwait(false);
        }

        var body = new byte[bodyLength - extrasLength - responseKeyLength];
        await _stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return new BinaryResponse(status, flags, body);
    }

    public void Dispose() => _stream.Dispose();

    private async Task AuthenticateAsync(string username, string password, CancellationToken cancellationToken)
    {
        // SASL PLAIN: authzid NUL authcid NUL password.
        var plain = Encoding.UTF8.GetBytes($"\0{username}\0{password}");
        var response = await ExecuteAsync(BinaryOpcode.SaslAuth, ReadOnlyMemory<byte>.Empty, "PLAIN", plain, cancellationToken).ConfigureAwait(false);
        switch (response.Status)
        {
            case BinaryStatus.NoError:
                return;
            case BinaryStatus.AuthenticationError or BinaryStatus.AuthenticationContinue:
                throw new MemcachedException(RemoteFailureKind.Unauthorized, "memcached: unauthorized: SASL PLAIN authentication failed");
            default:
                throw new MemcachedException(RemoteFailureKind.Unauthorized, $"memcached: the server does not take SASL authentication ({response.Status}); start it with -S or drop the username");
        }
    }
}
