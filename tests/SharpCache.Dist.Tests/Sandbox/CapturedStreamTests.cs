using SharpCache.Dist.Sandbox;

namespace SharpCache.Dist.Tests.Sandbox;

public sealed class CapturedStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("captured-").FullName;

    [Fact]
    public async Task Small_StaysInMemory_NoFile()
    {
        var captured = await CapturedStream.CaptureAsync(new MemoryStream("x.c:1: warning\n"u8.ToArray()), Spill, 1 << 30);
        Assert.Equal("x.c:1: warning\n"u8.ToArray(), captured.InMemory!.Value.ToArray());
        Assert.Equal(15, captured.Length);
        Assert.False(File.Exists(Spill));
    }

    [Fact]
    public async Task OverTheMemoryLimit_SpillsToTheFile_EveryByteKept()
    {
        var data = Bytes(CapturedStream.InMemoryLimit + 70_001);
        var captured = await CapturedStream.CaptureAsync(new TrickleStream(data, 5_000), Spill, 1 << 30);
        Assert.Null(captured.InMemory);
        Assert.Equal(data.Length, captured.Length);
        await using var stream = captured.Open();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task OverTheOutputLimit_KeepsTheLimit_ReadsTheRest()
    {
        var data = Bytes(100_000);
        var source = new TrickleStream(data, 7_000);
        var captured = await CapturedStream.CaptureAsync(source, Spill, 30_000);
        Assert.Equal(30_000, captured.Length);
        Assert.Equal(data.AsSpan(0, 30_000).ToArray(), captured.InMemory!.Value.ToArray());
        Assert.Equal(data.Length, source.Position); // drained: the compiler never blocks on a full pipe
        Assert.Equal(System.Text.Encoding.UTF8.GetString(data, 0, 100), captured.Text(100));
    }

    private const string Marker = "0123456789ABCDEF0123456789ABCDEF";

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(36)]
    [InlineData(16_384)]
    public async Task RunnerTrailer_EndsTheStream_StatusKept_TrailerLeftOut(int chunk)
    {
        // The runner's trailer (NUL, the marker, three digits), its last write, in reads of any size, even split between them.
        var output = Bytes(50_000);
        var captured = await CapturedStream.CaptureAsync(new TrickleStream([.. output, .. Trailer(Marker, "139")], chunk), Spill, 1 << 30, Marker);
        Assert.Equal(139, captured.EndStatus);
        Assert.Equal(output, captured.InMemory!.Value.ToArray());
    }

    [Fact]
    public async Task RunnerTrailer_FollowedByMoreOutputInTheSameRead_IsOutput_StreamEndsAtEndOfFile()
    {
        // Something wrote after the runner's last write (a process the job left behind): no status from the trailer, the
        // sandbox's exit tells (every byte kept, the trailer too: the job's output is not guessed at).
        byte[] data = [.. Bytes(100), .. Trailer(Marker, "000"), .. "late"u8];
        var captured = await CapturedStream.CaptureAsync(new MemoryStream(data), Spill, 1 << 30, Marker);
        Assert.Null(captured.EndStatus);
        Assert.Equal(data, captured.InMemory!.Value.ToArray());
    }

    [Fact]
    public async Task RunnerTrailer_OfAnotherMarkerOrCut_IsOutput_StreamEndsAtEndOfFile()
    {
        byte[] data = [.. "a\n"u8, .. Trailer("FEDCBA9876543210FEDCBA9876543210", "000"), .. "b\n"u8, .. Trailer(Marker, "0")];
        var captured = await CapturedStream.CaptureAsync(new TrickleStream(data, 5), Spill, 1 << 30, Marker);
        Assert.Null(captured.EndStatus);
        Assert.Equal(data, captured.InMemory!.Value.ToArray());
    }

    [Fact]
    public async Task RunnerTrailer_AfterOutputOverTheLimit_StillEndsTheStream()
    {
        var output = Bytes(100_000);
        var captured = await CapturedStream.CaptureAsync(new TrickleStream([.. output, .. Trailer(Marker, "002")], 7_000), Spill, 30_000, Marker);
        Assert.Equal(2, captured.EndStatus);
        Assert.Equal(output.AsSpan(0, 30_000).ToArray(), captured.InMemory!.Value.ToArray());
    }

    [Fact]
    public async Task RunnerTrailer_AfterSpilledOutput_IsCutFromTheFile()
    {
        var output = Bytes(CapturedStream.InMemoryLimit + 10);
        var captured = await CapturedStream.CaptureAsync(new TrickleStream([.. output, .. Trailer(Marker, "001")], 4_000), Spill, 1 << 30, Marker);
        Assert.Equal(1, captured.EndStatus);
        Assert.Null(captured.InMemory);
        Assert.Equal(output.Length, captured.Length);
        Assert.Equal(output, await File.ReadAllBytesAsync(Spill));
    }

    [Fact]
    public async Task WithAMarker_NoTrailer_KeepsTheOutputLimit()
    {
        var output = Bytes(1_000);
        var captured = await CapturedStream.CaptureAsync(new MemoryStream(output), Spill, 990, Marker);
        Assert.Null(captured.EndStatus);
        Assert.Equal(output.AsSpan(0, 990).ToArray(), captured.InMemory!.Value.ToArray());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Trailer(string marker, string status) => [0, .. System.Text.Encoding.ASCII.GetBytes(marker + status)];

    private string Spill => Path.Combine(_dir, "stdout");

    private static byte[] Bytes(int n)
    {
        var data = new byte[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = (byte)('a' + (i % 26));
        }

        return data;
    }

    /// <summary>A pipe's reads: at most <c>chunk</c> bytes each.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
