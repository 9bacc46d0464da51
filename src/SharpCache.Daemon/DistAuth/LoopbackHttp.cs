using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>Reads one HTTP/1.1 request and writes one response (<c>Connection: close</c>) for <see cref="LoopbackListener"/>.</summary>
internal static class LoopbackHttp
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    /// <summary>The request, or null when it is malformed or over the limits.</summary>
    public static async Task<LoopbackRequest?> ReadRequestAsync(NetworkStream stream, int maxHeaderBytes, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[maxHeaderBytes + maxBodyBytes];
        var filled = 0;
        int headerLength;
        while ((headerLength = buffer.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
        {
            if (filled >= maxHeaderBytes)
            {
                return null;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled, maxHeaderBytes - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            filled += read;
        }

        var lines = Encoding.ASCII.GetString(buffer, 0, headerLength).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || !requestLine[1].StartsWith('/'))
        {
            return null;
        }

        var contentLength = 0;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && (!int.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out contentLength) || contentLength > maxBodyBytes))
            {
                return null;
            }
        }

        var bodyStart = headerLength + HeaderEnd.Length;
        while (filled < bodyStart + contentLength)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled, bodyStart + contentLength - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            filled += read;
        }

        var target = requestLine[1];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        return new LoopbackRequest(
            requestLine[0],
            question < 0 ? target : target[..question],
            question < 0 ? "" : target[(question + 1)..],
            Encoding.UTF8.GetString(buffer, bodyStart, contentLength));
    }

    public static async Task WriteResponseAsync(NetworkStream stream, LoopbackResponse response, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(response.Body);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {response.ContentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            .Append("Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n");
        if (response.Location is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Location: {response.Location}\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        410 => "Gone",
        _ => "Error",
    };
}
