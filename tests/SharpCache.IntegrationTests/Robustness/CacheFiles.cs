using SharpCache.IntegrationTests.Infrastructure;

namespace SharpCache.IntegrationTests.Robustness;

/// <summary>Finds and damages the files a compile left under SCCACHE_DIR.</summary>
public static class CacheFiles
{
    public static IReadOnlyList<string> All(string cacheDir) =>
        Directory.Exists(cacheDir) ? Directory.GetFiles(cacheDir, "*", SearchOption.AllDirectories) : [];

    /// <summary>Waits (writes may finish after the client exits) for at least one non-empty file.</summary>
    public static IReadOnlyList<string> WaitForEntries(TestEnvironment env)
    {
        for (var i = 0; i < 50; i++)
        {
            var files = All(env.CacheDir).Where(f => new FileInfo(f).Length > 0).ToList();
            if (files.Count > 0)
            {
                return files;
            }

            Thread.Sleep(100);
        }

        Assert.Fail($"no cache entry file appeared under {env.CacheDir} after a successful miss");
        return [];
    }

    public static void Damage(string file, string how)
    {
        var bytes = File.ReadAllBytes(file);
        switch (how)
        {
            case "flip-middle-byte":
                bytes[bytes.Length / 2] ^= 0xFF;
                break;
            case "flip-last-byte":
                bytes[^1] ^= 0x01;
                break;
            case "flip-every-16th-byte":
                for (var i = 0; i < bytes.Length; i += 16)
                {
                    bytes[i] ^= 0x5A;
                }

                break;
            case "truncate-half":
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case "truncate-empty":
                bytes = [];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(how));
        }

        File.WriteAllBytes(file, bytes);
    }

    /// <summary>Apparent size of every file under the directory.</summary>
    public static long TotalBytes(string dir) => All(dir).Sum(f => new FileInfo(f).Length);
}
