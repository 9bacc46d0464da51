using Microsoft.AspNetCore.Http;
using SharpCache.Dist.Protocol;
using SharpCache.Dist.Sandbox;

namespace SharpCache.Dist.Server;

/// <summary>
/// Streams a completed job: one <see cref="RunJobResult"/> frame, then stdout, stderr and each
/// output file's bytes, straight from the job directory. Outputs that are missing, not regular files,
/// reached through a symlink or over the size limit are left out (as sccache-dist does for missing ones).
/// </summary>
internal static class JobResponse
{
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

            await using var stdout = File.OpenRead(completed.StdoutPath);
            await using var stderr = File.OpenRead(completed.StderrPath);
            var header = new RunJobResult
            {
                ExitCode = completed.ExitCode,
                Signal = completed.ExitCode > 128 && completed.ExitCode < 160 ? completed.ExitCode - 128 : null,
                StdoutLength = stdout.Length,
                StderrLength = stderr.Length,
                Outputs = [.. files.Select(f => f.Entry)],
            };
            context.Response.StatusCode = 200;
            context.Response.ContentType = DistRoutes.FramedMediaType;
            var body = context.Response.Body;
            await Frame.WriteAsync(body, header, DistJsonContext.Default.RunJobResult, context.RequestAborted).ConfigureAwait(false);
            await CopyAsync(stdout, body, stdout.Length, context.RequestAborted).ConfigureAwait(false);
            await CopyAsync(stderr, body, stderr.Length, context.RequestAborted).ConfigureAwait(false);
            foreach (var (entry, stream) in files)
            {
                await CopyAsync(stream, body, entry.Length, context.RequestAborted).ConfigureAwait(false);
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
