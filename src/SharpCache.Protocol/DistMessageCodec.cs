using System.Buffers;

namespace SharpCache.Protocol;

/// <summary>
/// Payloads of <see cref="MessageType.DistCompile"/> and <see cref="MessageType.DistCompileReply"/>:
/// strings and blobs (u32 length + bytes) in field order, lists as a u32 count. Decoding never throws;
/// a count over the limits below is malformed.
/// </summary>
public static class DistMessageCodec
{
    /// <summary>Largest number of arguments, environment entries, inputs or outputs accepted.</summary>
    public const int MaxItems = 1 << 16;

    public static void WriteRequest(IBufferWriter<byte> output, DistCompileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        WriteRequestHead(output, request, request.Inputs.Count);
        foreach (var (path, bytes) in request.Inputs)
        {
            WriteFile(output, path, bytes.Span);
        }

        WriteRequestTail(output, request);
    }

    /// <summary>
    /// The request's fields up to its inputs, announcing <paramref name="inputCount"/> of them (<c>request.Inputs</c> is not
    /// written): a writer that streams an input in place writes the head, each input (<see cref="WriteFile"/>, or its path
    /// and a blob it fills itself), then <see cref="WriteRequestTail"/>.
    /// </summary>
    public static void WriteRequestHead(IBufferWriter<byte> output, DistCompileRequest request, int inputCount)
    {
        ArgumentNullException.ThrowIfNull(request);
        PayloadWriter.WriteString(output, request.CompilerPath);
        PayloadWriter.WriteString(output, request.InvokedAs);
        PayloadWriter.WriteString(output, request.WorkingDirectory);
        WriteStrings(output, request.Arguments);
        PayloadWriter.WriteUInt32(output, (uint)request.Environment.Count);
        foreach (var (name, value) in request.Environment)
        {
            PayloadWriter.WriteString(output, name);
            PayloadWriter.WriteString(output, value);
        }

        PayloadWriter.WriteUInt32(output, (uint)inputCount);
    }

    /// <summary>One input or output file: its path, then its content as a blob.</summary>
    public static void WriteFile(IBufferWriter<byte> output, string path, ReadOnlySpan<byte> content)
    {
        PayloadWriter.WriteString(output, path);
        PayloadWriter.WriteBlob(output, content);
    }

    /// <summary>The request's fields after its inputs.</summary>
    public static void WriteRequestTail(IBufferWriter<byte> output, DistCompileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        WriteStrings(output, request.Outputs);
        WriteStrings(output, request.RequiredOutputs);
        PayloadWriter.WriteBool(output, request.RetryLocallyOnError);
        WriteStore(output, request.Store);
    }

    /// <summary>Appends <paramref name="store"/>'s block to a request written without one (it is the request's last field).</summary>
    public static void WriteRequestStore(IBufferWriter<byte> output, DistStoreRequest store)
    {
        ArgumentNullException.ThrowIfNull(store);
        WriteStore(output, store);
    }

    /// <summary>
    /// A request's store block, last in the request and absent (no bytes) without one: a request without it reads as one
    /// from before the block existed, and a daemon from before it rejects only requests that carry one (the client then
    /// asks again without it, see <see cref="SharpCache.Protocol.DistStoreRequest"/>).
    /// </summary>
    private static void WriteStore(IBufferWriter<byte> output, DistStoreRequest? store)
    {
        if (store is null)
        {
            return;
        }

        PayloadWriter.WriteString(output, store.CacheDirectory);
        PayloadWriter.WriteInt64(output, store.MaxCacheSize);
        PayloadWriter.WriteInt64(output, store.ZstdLevel);
        PayloadWriter.WriteString(output, store.Key);
        PayloadWriter.WriteInt64(output, store.StartedUtcTicks);
        PayloadWriter.WriteUInt32(output, (uint)store.Files.Count);
        foreach (var file in store.Files)
        {
            PayloadWriter.WriteString(output, file.Role);
            PayloadWriter.WriteString(output, file.Path);
            PayloadWriter.WriteBool(output, file.Required);
            PayloadWriter.WriteBool(output, file.Returned);
        }

        if (store.ReportInRecord)
        {
            PayloadWriter.WriteBool(output, true);
        }
    }

    private static bool TryReadStore(ref PayloadReader r, out DistStoreRequest? store)
    {
        store = null;
        if (r.Remaining == 0)
        {
            return true;
        }

        if (!r.TryReadString(out var directory) || !r.TryReadInt64(out var maxSize) || !r.TryReadInt64(out var level) || level is < int.MinValue or > int.MaxValue
            || !r.TryReadString(out var key) || !r.TryReadInt64(out var started) || started is < 0 || started > DateTime.MaxValue.Ticks
            || !r.TryReadUInt32(out var count) || count > MaxItems)
        {
            return false;
        }

        var files = new List<DistStoreFile>((int)count);
        for (var i = 0; i < count; i++)
        {
            if (!r.TryReadString(out var role) || !r.TryReadString(out var path) || !r.TryReadBool(out var required) || !r.TryReadBool(out var returned))
            {
                return false;
            }

            files.Add(new DistStoreFile(role, path, required, returned));
        }

        // ReportInRecord: one trailing byte of 1 when set, nothing otherwise (one encoding per request).
        var reportInRecord = r.Remaining > 0;
        if (reportInRecord && !(r.TryReadByte(out var report) && report == 1))
        {
            return false;
        }

        store = new DistStoreRequest
        {
            CacheDirectory = directory,
            MaxCacheSize = maxSize,
            ZstdLevel = (int)level,
            Key = key,
            StartedUtcTicks = started,
            Files = files,
            ReportInRecord = reportInRecord,
        };
        return true;
    }

    /// <summary>
    /// The payload of <see cref="MessageType.DistStored"/>: how the daemon's write of the entry went (a byte: 0 stored,
    /// 1 deliberately not stored, 2 failed) and how long it took (microseconds).
    /// </summary>
    public static void WriteStored(IBufferWriter<byte> output, byte outcome, long micros)
    {
        PayloadWriter.WriteByte(output, outcome);
        PayloadWriter.WriteInt64(output, micros);
    }

    public static bool TryReadStored(ReadOnlySpan<byte> payload, out byte outcome, out long micros)
    {
        var r = new PayloadReader(payload);
        micros = 0;
        return r.TryReadByte(out outcome) && outcome <= 2 && r.TryReadInt64(out micros) && r.Remaining == 0;
    }

    /// <summary>
    /// Decodes a request. Its inputs' contents are not copied: they are slices of <paramref name="payload"/> (a C++ unit's
    /// megabytes of text go from the frame received to the build server's request body as they are).
    /// </summary>
    public static bool TryReadRequest(ReadOnlyMemory<byte> payload, out DistCompileRequest? request)
    {
        request = null;
        var r = new PayloadReader(payload.Span);
        if (!r.TryReadString(out var compiler) || !r.TryReadString(out var invokedAs) || !r.TryReadString(out var cwd)
            || !TryReadStrings(ref r, out var arguments) || !r.TryReadUInt32(out var envCount) || envCount > MaxItems)
        {
            return false;
        }

        var env = new List<KeyValuePair<string, string>>((int)envCount);
        for (var i = 0; i < envCount; i++)
        {
            if (!r.TryReadString(out var name) || !r.TryReadString(out var value))
            {
                return false;
            }

            env.Add(new(name, value));
        }

        if (!TryReadInputs(ref r, payload, out var inputs) || !TryReadStrings(ref r, out var outputs) || !TryReadStrings(ref r, out var required)
            || !r.TryReadBool(out var retryLocally) || !TryReadStore(ref r, out var store) || r.Remaining != 0)
        {
            return false;
        }

        request = new DistCompileRequest
        {
            CompilerPath = compiler,
            InvokedAs = invokedAs,
            WorkingDirectory = cwd,
            Arguments = arguments,
            Environment = env,
            Inputs = inputs,
            Outputs = outputs,
            RequiredOutputs = required,
            RetryLocallyOnError = retryLocally,
            Store = store,
        };
        return true;
    }

    /// <summary>The payload of <see cref="MessageType.DistTextEnd"/>: the inputs after the text (a count, then path and content each).</summary>
    public static void WriteTextEnd(IBufferWriter<byte> output, IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        PayloadWriter.WriteUInt32(output, (uint)inputs.Count);
        foreach (var (path, content) in inputs)
        {
            WriteFile(output, path, content.Span);
        }
    }

    /// <summary>Decodes a <see cref="MessageType.DistTextEnd"/> payload; the contents are slices of <paramref name="payload"/>.</summary>
    public static bool TryReadTextEnd(ReadOnlyMemory<byte> payload, out List<KeyValuePair<string, ReadOnlyMemory<byte>>> inputs)
    {
        var r = new PayloadReader(payload.Span);
        return TryReadInputs(ref r, payload, out inputs) && r.Remaining == 0;
    }

    /// <summary>
    /// The payload of <see cref="MessageType.DistPrepare"/>: the compiler, and optionally the compile's request as far as it is
    /// known before the preprocessor runs (<paramref name="head"/>: every field but the inputs and the store block; its one
    /// input names the file the preprocessed text goes to, empty). With a head the daemon may send the job to the build
    /// server at once and stream the text to it as it comes (<see cref="MessageType.DistText"/>). A daemon from before the
    /// head reads a prepare without one only: a client sends the head to its own daemon (same version).
    /// </summary>
    public static void WritePrepare(IBufferWriter<byte> output, string compilerPath, string invokedAs, DistCompileRequest? head = null)
    {
        PayloadWriter.WriteString(output, compilerPath);
        PayloadWriter.WriteString(output, invokedAs);
        if (head is not null)
        {
            WriteRequest(output, head with { Store = null });
        }
    }

    public static bool TryReadPrepare(ReadOnlyMemory<byte> payload, out string compilerPath, out string invokedAs, out DistCompileRequest? head)
    {
        var r = new PayloadReader(payload.Span);
        invokedAs = "";
        head = null;
        if (!r.TryReadString(out compilerPath) || !r.TryReadString(out invokedAs))
        {
            return false;
        }

        if (r.Remaining == 0)
        {
            return true;
        }

        return TryReadRequest(payload[^r.Remaining..], out head) && head!.Inputs.Count == 1 && head.Store is null
            && head.CompilerPath == compilerPath && head.InvokedAs == invokedAs;
    }

    public static void WriteResult(IBufferWriter<byte> output, DistCompileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        PayloadWriter.WriteByte(output, (byte)result.Status);
        PayloadWriter.WriteNullableString(output, result.Server);
        PayloadWriter.WriteNullableString(output, result.Reason);
        PayloadWriter.WriteInt64(output, result.ExitCode);
        PayloadWriter.WriteBlob(output, result.Stdout);
        PayloadWriter.WriteBlob(output, result.Stderr);
        WriteFiles(output, result.Outputs);
        if (result.StorePending)
        {
            // Only then: a reply without the flag is what a client from before it expects.
            PayloadWriter.WriteBool(output, true);
        }
    }

    public static bool TryReadResult(ReadOnlySpan<byte> payload, out DistCompileResult? result)
    {
        result = null;
        var r = new PayloadReader(payload);
        if (!r.TryReadByte(out var status) || status > (byte)DistCompileStatus.NotDistributed
            || !r.TryReadNullableString(out var server) || !r.TryReadNullableString(out var reason)
            || !r.TryReadInt64(out var exitCode) || exitCode is < int.MinValue or > int.MaxValue
            || !r.TryReadBlob(out var stdout) || !r.TryReadBlob(out var stderr)
            || !TryReadFiles(ref r, out var outputs))
        {
            return false;
        }

        // The flag is there only when set (one byte, 1).
        var storePending = r.Remaining > 0;
        if (storePending && (!r.TryReadBool(out var flag) || !flag || r.Remaining != 0))
        {
            return false;
        }

        result = new DistCompileResult
        {
            Status = (DistCompileStatus)status,
            Server = server,
            Reason = reason,
            ExitCode = (int)exitCode,
            Stdout = stdout.ToArray(),
            Stderr = stderr.ToArray(),
            Outputs = outputs,
            StorePending = storePending,
        };
        return true;
    }

    private static void WriteStrings(IBufferWriter<byte> output, IReadOnlyList<string> values)
    {
        PayloadWriter.WriteUInt32(output, (uint)values.Count);
        foreach (var value in values)
        {
            PayloadWriter.WriteString(output, value);
        }
    }

    private static bool TryReadStrings(ref PayloadReader r, out List<string> values)
    {
        values = [];
        if (!r.TryReadUInt32(out var count) || count > MaxItems)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!r.TryReadString(out var value))
            {
                return false;
            }

            values.Add(value);
        }

        return true;
    }

    private static void WriteFiles(IBufferWriter<byte> output, IReadOnlyList<KeyValuePair<string, byte[]>> files)
    {
        PayloadWriter.WriteUInt32(output, (uint)files.Count);
        foreach (var (path, bytes) in files)
        {
            WriteFile(output, path, bytes);
        }
    }

    /// <summary>A list of files as <see cref="TryReadFiles"/>, each content a slice of <paramref name="payload"/> (what <paramref name="r"/> reads).</summary>
    private static bool TryReadInputs(ref PayloadReader r, ReadOnlyMemory<byte> payload, out List<KeyValuePair<string, ReadOnlyMemory<byte>>> files) =>
        TryReadFileList(ref r, (blob, remaining) => payload.Slice(payload.Length - remaining - blob.Length, blob.Length), out files);

    private static bool TryReadFiles(ref PayloadReader r, out List<KeyValuePair<string, byte[]>> files) =>
        TryReadFileList(ref r, static (blob, _) => blob.ToArray(), out files);

    /// <summary>What a file's content becomes: <paramref name="blob"/> as read, <paramref name="remaining"/> the payload's bytes after it.</summary>
    private delegate T FileContent<T>(ReadOnlySpan<byte> blob, int remaining);

    /// <summary>A u32 count, then that many files (path, blob).</summary>
    private static bool TryReadFileList<T>(ref PayloadReader r, FileContent<T> content, out List<KeyValuePair<string, T>> files)
    {
        files = [];
        if (!r.TryReadUInt32(out var count) || count > MaxItems)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!r.TryReadString(out var path) || !r.TryReadBlob(out var bytes))
            {
                return false;
            }

            files.Add(new(path, content(bytes, r.Remaining)));
        }

        return true;
    }
}
