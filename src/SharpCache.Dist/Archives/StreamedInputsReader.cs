using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Archives;

/// <summary>
/// Writes the inputs of a streamed run_job request (<see cref="JobInputRecords"/>) into a job's tree as they arrive, with the
/// checks an inputs archive gets (<see cref="SafeTarExtractor"/>): clean relative paths only (no <c>..</c>, NUL or backslash),
/// plain files created new (never over a file, a directory or a link), the size and file-count limits. The tree holds no
/// links, so creating directories in it never leaves it. A body that ends before the end record, or has anything after
/// it, is refused: the job does not run.
/// </summary>
public static class StreamedInputsReader
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const int BufferSize = 256 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Reads the records from <paramref name="body"/> (positioned after the command frame) into <paramref name="root"/>.</summary>
    public static async Task<UnpackResult> ReceiveAsync(Stream body, string root, UnpackLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(limits);
        Directory.CreateDirectory(root);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        FileStream? file = null;
        var current = "";
        long bytes = 0;
        var files = 0;
        UnpackResult Refused(UnpackErrorKind kind, string entry, string message) => new(bytes, files, new UnpackError(kind, entry, message));
        try
        {
            while (true)
            {
                if (!await TryFillAsync(body, buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false))
                {
                    return Refused(UnpackErrorKind.Corrupt, "", "the inputs end before their end record (the client gave the job up)");
                }

                switch (buffer[0])
                {
                    case JobInputRecords.End:
                        if (await body.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
                        {
                            return Refused(UnpackErrorKind.Corrupt, "", "bytes after the inputs' end record");
                        }

                        return new UnpackResult(bytes, files, null);
                    case JobInputRecords.File:
                        if (!await TryFillAsync(body, buffer.AsMemory(0, 2), cancellationToken).ConfigureAwait(false))
                        {
                            return Refused(UnpackErrorKind.Corrupt, "", "the inputs end inside a file record");
                        }

                        var length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
                        if (length is 0 or > JobInputRecords.MaxPathBytes || !await TryFillAsync(body, buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false))
                        {
                            return Refused(UnpackErrorKind.Corrupt, "", $"a file record's path is empty, over {JobInputRecords.MaxPathBytes} bytes or cut");
                        }

                        string name;
                        try
                        {
                            name = StrictUtf8.GetString(buffer, 0, length);
                        }
                        catch (DecoderFallbackException)
                        {
                            return Refused(UnpackErrorKind.Corrupt, "", "a file record's path is not UTF-8");
                        }

                        if (++files > limits.MaxEntries)
                        {
                            return Refused(UnpackErrorKind.TooManyFiles, name, $"the inputs have more than {limits.MaxEntries} files (size bomb)");
                        }

                        var (relative, nameError) = SafeTarExtractor.Normalize(name.TrimStart('/'));
                        if (nameError is not null)
                        {
                            return new UnpackResult(bytes, files, nameError);
                        }

                        if (relative.Length == 0)
                        {
                            return Refused(UnpackErrorKind.PathTraversal, name, "a file record names the job's root");
                        }

                        if (file is not null)
                        {
                            await file.DisposeAsync().ConfigureAwait(false);
                            file = null;
                        }

                        current = name;
                        var target = Path.Combine(root, relative);
                        try
                        {
                            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                            file = new FileStream(target, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Mode });
                        }
                        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                        {
                            return Refused(UnpackErrorKind.UnsupportedEntry, name, $"cannot create the input (a file or directory of that name is already there?): {e.Message}");
                        }

                        break;
                    case JobInputRecords.Data:
                        if (!await TryFillAsync(body, buffer.AsMemory(0, 4), cancellationToken).ConfigureAwait(false))
                        {
                            return Refused(UnpackErrorKind.Corrupt, current, "the inputs end inside a data record");
                        }

                        var size = BinaryPrimitives.ReadUInt32BigEndian(buffer);
                        if (file is null)
                        {
                            return Refused(UnpackErrorKind.Corrupt, "", "a data record before any file record");
                        }

                        if (size > JobInputRecords.MaxDataLength)
                        {
                            return Refused(UnpackErrorKind.Corrupt, current, $"a data record of {size} bytes (at most {JobInputRecords.MaxDataLength})");
                        }

                        if (size > limits.MaxBytes - bytes)
                        {
                            return Refused(UnpackErrorKind.TooLarge, current, $"the inputs are more than {limits.MaxBytes} bytes (size bomb)");
                        }

                        bytes += size;
                        for (var left = (int)size; left > 0;)
                        {
                            var read = await body.ReadAsync(buffer.AsMemory(0, Math.Min(left, buffer.Length)), cancellationToken).ConfigureAwait(false);
                            if (read == 0)
                            {
                                return Refused(UnpackErrorKind.Corrupt, current, "the inputs end inside a data record");
                            }

                            file.Write(buffer, 0, read);
                            left -= read;
                        }

                        break;
                    default:
                        return Refused(UnpackErrorKind.Corrupt, current, $"unknown input record kind {buffer[0]}");
                }
            }
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fills <paramref name="destination"/>; false if the body ends first.</summary>
    private static async ValueTask<bool> TryFillAsync(Stream body, Memory<byte> destination, CancellationToken cancellationToken) =>
        await body.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) == destination.Length;
}
