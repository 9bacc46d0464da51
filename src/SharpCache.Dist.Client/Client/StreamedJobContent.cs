using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Client;

/// <summary>
/// A streamed run_job body (<see cref="DistRoutes.StreamedMediaType"/>): the command frame, then the inputs as they are
/// given (<see cref="BeginFile"/>, <see cref="Append"/>) until <see cref="Complete"/>. The request goes out before the inputs
/// are all there: the build server authorises the job, reads its command and writes the inputs into the job's tree while
/// the client still preprocesses, so that after the preprocessor only the last piece and the end remain.
/// The memory handed to <see cref="Append"/> is sent as it is, not copied: it must stay unchanged until the request ends.
/// <see cref="Abort"/> gives the job up: the body ends without its end record, and the server does not run it.
/// </summary>
public sealed class StreamedJobContent : HttpContent
{
    private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly byte[] _command;
    private readonly byte[] _header = new byte[JobInputRecords.DataHeaderLength];

    public StreamedJobContent(RunJobRequest command)
    {
        _command = Frame.Encode(command, DistJsonContext.Default.RunJobRequest);
        Headers.ContentType = new MediaTypeHeaderValue(DistRoutes.StreamedMediaType);
    }

    /// <summary>Begins the next input file (its absolute path as the compile names it).</summary>
    public void BeginFile(string path) => _items.Writer.TryWrite(new Item(JobInputRecords.FileRecord(path), default, false));

    /// <summary>Appends to the file begun last.</summary>
    public void Append(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var piece = data[..Math.Min(data.Length, JobInputRecords.MaxDataLength)];
            _items.Writer.TryWrite(new Item(null, piece, false));
            data = data[piece.Length..];
        }
    }

    /// <summary>Ends the inputs: the server runs the job once it has them.</summary>
    public void Complete()
    {
        _items.Writer.TryWrite(new Item([JobInputRecords.End], default, true));
        _items.Writer.TryComplete();
    }

    /// <summary>Gives the job up; false if it was already given up or completed (<see cref="Complete"/>).</summary>
    public bool Abort() => _items.Writer.TryComplete(new OperationCanceledException("the streamed job was given up"));

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_command, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        var reader = _items.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                if (item.Record is { } record)
                {
                    await stream.WriteAsync(record, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    JobInputRecords.WriteDataHeader(_header, item.Data.Length);
                    await stream.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
                    await stream.WriteAsync(item.Data, cancellationToken).ConfigureAwait(false);
                }

                if (item.Last)
                {
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
            }

            // What was queued is on its way before waiting for more: the server writes it while the rest is produced.
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        throw new IOException("the streamed inputs ended without their end record");
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    private readonly record struct Item(byte[]? Record, ReadOnlyMemory<byte> Data, bool Last);
}
