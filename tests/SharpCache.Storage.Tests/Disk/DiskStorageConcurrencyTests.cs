using System.Buffers.Binary;
using System.Diagnostics;
using SharpCache.Storage.Disk;

namespace SharpCache.Storage.Tests.Disk;

public sealed class DiskStorageConcurrencyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ManyWritersAndReaders_SeparateInstances_NoTornReadsAndExactCounters()
    {
        // Separate instances share nothing in memory: they coordinate only through the files, as
        // separate processes do (flock excludes other handles of the same process too).
        RunWorkers(maxSize: 1L << 30, threads: 6, opsPerThread: 300, keyCount: 40);

        var storage = new DiskStorage(_dir.Path, 1L << 30);
        var tracked = storage.GetUsage();
        Assert.Equal(storage.Recount(), tracked);
        Assert.InRange(tracked.Files, 1, 40);
    }

    [Fact]
    public void ManyWritersAndReaders_UnderConstantEviction_StayConsistentAndBounded()
    {
        const long maxSize = 16 * 4096;
        RunWorkers(maxSize, threads: 6, opsPerThread: 300, keyCount: 400);

        var storage = new DiskStorage(_dir.Path, maxSize);
        var tracked = storage.GetUsage();
        var actual = storage.Recount();
        Assert.Equal(actual, tracked);
        Assert.True(actual.SizeBytes <= maxSize, $"{actual.SizeBytes} > {maxSize}");
        Assert.Empty(Directory.EnumerateFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Put_WhileAnotherProcessHoldsTheShardLock_WaitsForIt()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20);
        var key = Keys.InShard('6', 1);
        storage.Put(key, new byte[10]);
        var stats = Path.Join(_dir.Path, "6", "stats");

        // util-linux flock(1) takes the same flock(2) lock .NET's FileShare.None uses.
        using var holder = Process.Start(new ProcessStartInfo("flock", [stats, "-c", "echo locked; sleep 1"]) { RedirectStandardOutput = true })!;
        Assert.Equal("locked", holder.StandardOutput.ReadLine());

        var watch = Stopwatch.StartNew();
        Assert.Equal(StorageWriteResult.Written, storage.Put(Keys.InShard('6', 2), new byte[20]));
        watch.Stop();
        holder.WaitForExit();

        Assert.True(watch.Elapsed > TimeSpan.FromMilliseconds(500), $"Put took {watch.Elapsed}");
        Assert.Equal(new DiskUsage(30, 2), storage.GetUsage());
    }

    [Fact]
    public void Put_LockHeldPastTimeout_StillWritesTheEntry()
    {
        var storage = new DiskStorage(_dir.Path, 1 << 20, TimeProvider.System, lockTimeout: TimeSpan.FromMilliseconds(100));
        storage.Put(Keys.InShard('7', 1), new byte[10]);
        var stats = Path.Join(_dir.Path, "7", "stats");
        using var holder = Process.Start(new ProcessStartInfo("flock", [stats, "-c", "echo locked; sleep 2"]) { RedirectStandardOutput = true })!;
        Assert.Equal("locked", holder.StandardOutput.ReadLine());

        Assert.Equal(StorageWriteResult.Written, storage.Put(Keys.InShard('7', 2), new byte[20]));

        Assert.IsType<StorageReadResult.Hit>(storage.Get(Keys.InShard('7', 2)));
        holder.WaitForExit();
        Assert.Equal(new DiskUsage(30, 2), storage.Recount());
    }

    private void RunWorkers(long maxSize, int threads, int opsPerThread, int keyCount)
    {
        var failures = new List<string>();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var storage = new DiskStorage(_dir.Path, maxSize);
            var random = new Random(t);
            for (var op = 0; op < opsPerThread; op++)
            {
                // Keys spread over 4 shards so that locks are contended.
                var k = random.Next(keyCount);
                var key = Keys.InShard("05af"[k % 4], k);
                if (random.Next(3) == 0)
                {
                    var result = storage.Put(key, Blob(k, random.Next(1, 2000), random.Next()));
                    if (result != StorageWriteResult.Written)
                    {
                        lock (failures)
                        {
                            failures.Add($"put {result}");
                        }
                    }
                }
                else if (storage.Get(key) is StorageReadResult.Hit hit && !IsValidBlob(k, hit.Data))
                {
                    lock (failures)
                    {
                        failures.Add($"torn or foreign read of key {k}, {hit.Data.Length} bytes");
                    }
                }
                else if (random.Next(50) == 0)
                {
                    storage.Remove(key);
                }
            }
        })).ToList();

        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Empty(failures);
    }

    /// <summary>Self-checking content: key index, length and a seed, then bytes derived from the seed.</summary>
    private static byte[] Blob(int keyIndex, int length, int seed)
    {
        var data = new byte[12 + length];
        BinaryPrimitives.WriteInt32LittleEndian(data, keyIndex);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), length);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(8), seed);
        new Random(seed).NextBytes(data.AsSpan(12));
        return data;
    }

    private static bool IsValidBlob(int keyIndex, byte[] data) =>
        data.Length >= 12
        && BinaryPrimitives.ReadInt32LittleEndian(data) == keyIndex
        && BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4)) == data.Length - 12
        && data.AsSpan().SequenceEqual(Blob(keyIndex, data.Length - 12, BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(8))));
}
