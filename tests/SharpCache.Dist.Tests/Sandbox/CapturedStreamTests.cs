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

    public void Dispose() => Directory.Delete(_dir, recursive: true);

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
