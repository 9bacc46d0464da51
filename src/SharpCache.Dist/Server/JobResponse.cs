using Microsoft.AspNetCore.Http;
using SharpCache.Dist.Protocol;
using SharpCache.Dist.Sandbox;

namespace SharpCache.Dist.Server;

/// <summary>
/// Sends a completed job: one <see cref="RunJobResult"/> frame, then stdout, stderr and each output file's bytes. A small
/// answer (a compile's object and diagnostics: under <see cref="OneWriteLimit"/>) goes out as one body with its length, in
/// one write (Kestrel flushes each write of the response stream: the frame, its prefix and every file were one send and one
/// wake-up of the client each); a larger one is streamed from the job directory. Outputs that are missing, not regular files,
/// reached through a symlink or over the size limit are left out (as sccache-dist does for missing ones).
/// </summary>
internal static class JobResponse
{
    private const long OneWriteLimit = 16 << 20;

    public static async Task WriteAsync(HttpContext context, SandboxOutcome.Completed completed, string jobRoot, RunJobRequest job, long maxOutput)
    {
        var files = new List<(OutputFile Entry, FileStream Stream)>();
        try
        {
            foreach (var output in job.Outputs)
            {
                var stream = TreePaths.OpenRegularFileNoLinks(jobRoot, BuildServerHost.SandboxPath(job.Cwd, output));
                if (stream is null)
                {
                    continue;
                }

                if (stream.Length > maxOutput)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                    continue;
                }

                files.Add((new OutputFile(output, stream.Length), stream));
            }

            var header = new RunJobResult
            {
                ExitCode = completed.ExitCode,
                Signal = completed.ExitCode > 128 && completed.ExitCode < 160 ? completed.ExitCode - 128 : null,
                StdoutLength = completed.Stdout.Length,
                StderrLength = completed.Stderr.Length,
                Outputs = [.. files.Select(f => f.Entry)],
            };
            context.Response.StatusCode = 200;
            context.Response.ContentType = DistRoutes.FramedMediaType;
            var frame = Frame.Encode(header, DistJsonContext.Default.RunJobResult);
            var total = frame.Length + completed.Stdout.Length + completed.Stderr.Length + files.Sum(f => f.Entry.Length);
            if (total <= OneWriteLimit && completed.Stdout.InMemory is { } stdoutBytes && completed.Stderr.InMemory is { } stderrBytes)
            {
                var body = new byte[total];
                var at = 0;
                Append(body, ref at, frame);
                Append(body, ref at, stdoutBytes.Span);
                Append(body, ref at, stderrBytes.Span);
                foreach (var (entry, stream) in files)
                {
                    // Exactly the announced length: a file that shrank meanwhile is padded with zeros (the array is zeroed).
                    // Read synchronously: the file is opened for synchronous reads, and an asynchronous read of it goes
                    // through the thread pool (a hop on the answer's path for a few kilobytes).
                    stream.ReadAtLeast(body.AsSpan(at, (int)entry.Length), (int)entry.Length, throwOnEndOfStream: false);
                    at += (int)entry.Length;
                }

                context.Response.ContentLength = total;
                await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            var response = context.Response.Body;
            await response.WriteAsync(frame, context.RequestAborted).ConfigureAwait(false);
            await using (var stdout = completed.Stdout.Open())
            {
                await CopyAsync(stdout, response, completed.Stdout.Length, context.RequestAborted).ConfigureAwait(false);
            }

            await using (var stderr = completed.Stderr.Open())
            {
                await CopyAsync(stderr, response, completed.Stderr.Length, context.RequestAborted).ConfigureAwait(false);
            }

            foreach (var (entry, stream) in files)
            {
                await CopyAsync(stream, response, entry.Length, context.RequestAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var (_, stream) in files)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Append(byte[] body, ref int at, ReadOnlySpan<byte> data)
    {
        data.CopyTo(body.AsSpan(at));
        at += data.Length;
    }

    /// <summary>Copies exactly <paramref name="length"/> bytes (the length announced in the header), padding with zeros if the file shrank.</summary>
    private static async Task CopyAsync(Stream source, Stream destination, long length, CancellationToken cancellationToken)
    {
        var bounded = new BoundedReadStream(source, length);
        await bounded.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        if (bounded.Remaining > 0)
        {
            await destination.WriteAsync(new byte[bounded.Remaining], cancellationToken).ConfigureAwait(false);
        }
    }
}
