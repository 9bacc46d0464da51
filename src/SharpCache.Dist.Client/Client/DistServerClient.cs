using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SharpCache.Dist.Protocol;

namespace SharpCache.Dist.Client;

/// <summary>
/// A client's calls to a build server for one allocated job: upload its toolchain (streamed) and
/// run it (command frame + streamed inputs tar; stdout, stderr and outputs streamed back).
/// Failures are <see cref="DistClientException"/>; <see cref="DistClientException.Error"/>'s code
/// <c>toolchain_missing</c> means "upload, then run the same job again".
/// </summary>
public sealed class DistServerClient(HttpClient http)
{
    /// <summary>Largest stdout or stderr kept in memory; the server caps them too.</summary>
    public const long MaxStreamBytes = 64 << 20;

    public async Task<ToolchainUploadResponse> UploadToolchainAsync(JobAllocation job, string toolchainId, Stream archive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var content = new StreamContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = DistHttp.Post(new Uri(new Uri(job.ServerUrl), DistRoutes.ServerToolchain(toolchainId)), content, job.JobToken);
        using var response = await DistHttp.SendAsync(http, request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await DistHttp.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(DistJsonContext.Default.ToolchainUploadResponse, cancellationToken).ConfigureAwait(false)
            ?? throw new DistClientException("toolchain upload answered JSON null");
    }

    /// <summary>
    /// Runs the job. <paramref name="inputsTar"/> may be empty. Each returned output is handed to
    /// <paramref name="onOutput"/> as a stream of exactly its length, in the order of the result.
    /// </summary>
    public Task<CompletedJob> RunJobAsync(JobAllocation job, RunJobRequest command, Stream inputsTar, Func<OutputFile, Stream, CancellationToken, Task> onOutput, CancellationToken cancellationToken) =>
        RunJobAsync(job, new FramedContent(command, inputsTar), onOutput, cancellationToken);

    /// <summary>
    /// Runs the job with inputs that stream in (<see cref="StreamedJobContent"/>): the request goes out at once, and the
    /// server's answer comes after <see cref="StreamedJobContent.Complete"/> and the compile (or, refused, before).
    /// </summary>
    public Task<CompletedJob> RunJobStreamedAsync(JobAllocation job, StreamedJobContent inputs, Func<OutputFile, Stream, CancellationToken, Task> onOutput, CancellationToken cancellationToken) =>
        RunJobAsync(job, (HttpContent)inputs, onOutput, cancellationToken);

    private async Task<CompletedJob> RunJobAsync(JobAllocation job, HttpContent content, Func<OutputFile, Stream, CancellationToken, Task> onOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(onOutput);
        using var request = DistHttp.Post(new Uri(new Uri(job.ServerUrl), DistRoutes.ServerRunJob(job.JobId)), content, job.JobToken);
        using var response = await DistHttp.SendAsync(http, request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await DistHttp.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var result = await Frame.ReadAsync(body, DistJsonContext.Default.RunJobResult, Frame.MaxFrameLength, cancellationToken).ConfigureAwait(false);
            var stdout = await ReadSmallAsync(body, result.StdoutLength, cancellationToken).ConfigureAwait(false);
            var stderr = await ReadSmallAsync(body, result.StderrLength, cancellationToken).ConfigureAwait(false);
            foreach (var output in result.Outputs)
            {
                var section = new BoundedReadStream(body, output.Length);
                await onOutput(output, section, cancellationToken).ConfigureAwait(false);
                await section.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false); // whatever the callback left
                if (section.Remaining > 0)
                {
                    throw new InvalidDataException($"response ends inside output '{output.Path}'");
                }
            }

            return new CompletedJob(result, stdout, stderr);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or HttpRequestException)
        {
            throw new DistClientException(HttpStatusCode.OK, null, $"run_job response from {job.ServerUrl} is cut or malformed: {e.Message}", e);
        }
    }

    private static async Task<byte[]> ReadSmallAsync(Stream body, long length, CancellationToken cancellationToken)
    {
        if (length > MaxStreamBytes)
        {
            throw new InvalidDataException($"stdout/stderr of {length} bytes is over {MaxStreamBytes}");
        }

        var buffer = new byte[length];
        await body.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    /// <summary>
    /// run_job's request body: the command frame, then the inputs tar, streamed. With inputs of a known length (seekable) the
    /// body has a Content-Length: the server's Kestrel then reads it straight from the connection; a chunked body costs it a
    /// second pass (measured on a 1.7 MB unit, medians: 3.2 ms from the start of its read to the end, 1.6 ms with a length).
    /// </summary>
    private sealed class FramedContent : HttpContent
    {
        private readonly byte[] _command;
        private readonly Stream _inputs;

        public FramedContent(RunJobRequest command, Stream inputs)
        {
            _command = Frame.Encode(command, DistJsonContext.Default.RunJobRequest);
            _inputs = inputs;
            Headers.ContentType = new MediaTypeHeaderValue(DistRoutes.FramedMediaType);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(_command, cancellationToken).ConfigureAwait(false);
            await _inputs.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _inputs.CanSeek ? _command.Length + _inputs.Length - _inputs.Position : 0;
            return _inputs.CanSeek;
        }
    }
}
