using SharpCache.IntegrationTests.Infrastructure;
using SharpCache.IntegrationTests.Rust;
using SharpCache.TestServers;

namespace SharpCache.IntegrationTests.Dist;

/// <summary>
/// The Rust fixture workspace through a real scheduler and build server on loopback: the library crates compile
/// remotely, and their rlibs equal those of a local build at the same path.
/// </summary>
[Collection(DistBuildCollection.Name)]
public sealed class RustDistTests
{
    [Fact]
    public async Task CargoBuild_ThroughDist_LibCratesDistributed_RlibsEqualLocal_AppRuns()
    {
        var port = FreePort.Next();
        using var cluster = await DistCluster.WithOneServerAsync(port);
        using var client = new DistClient(cluster.SchedulerUrl);
        client.Env.Timeout = RustWorkspace.CargoTimeout;
        using var local = new TestEnvironment { Timeout = RustWorkspace.CargoTimeout };

        // The reference: a local build (its own cache, no [dist]) at the path the dist build uses.
        var ws = RustWorkspace.Create(local, Path.Combine(client.Env.Root, "ws"));
        ws.Build(local);
        var expected = ws.RunApp(local);
        var deps = Path.Combine(ws.Root, "target", "debug", "deps");
        var reference = Directory.GetFiles(deps, "*.rlib").ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);
        Assert.NotEmpty(reference);
        Assert.Equal(0, ws.Cargo(local, "clean").ExitCode);

        foreach (var name in new[] { "RUSTC_WRAPPER", "CARGO_INCREMENTAL", "CARGO_BUILD_JOBS", "CARGO_TERM_COLOR", "CARGO_TERM_PROGRESS_WHEN" })
        {
            client.Env.Env[name] = local.Env[name];
        }

        client.Env.Env.Remove("RUSTFLAGS");
        client.Env.Env.Remove("CARGO_TARGET_DIR");
        ws.Build(client.Env);

        // Every library crate (one rlib each: the workspace's and the registry's) compiled on the server, none fell back.
        var stats = client.WaitForStats(s => s.TotalCompiles + s.Errors >= reference.Count, TimeSpan.FromSeconds(10));
        var context = stats + client.Env.DaemonLogTail() + cluster.Logs();
        Assert.True(stats.TotalCompiles == reference.Count, $"{reference.Count} rlibs: {string.Join(' ', reference.Keys.Order())}\n{context}");
        Assert.True(stats.Errors == 0, context);
        Assert.Equal(expected, ws.RunApp(client.Env));
        var built = Directory.GetFiles(deps, "*.rlib").ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);
        Assert.Equal(reference.Keys.Order(), built.Keys.Order());
        foreach (var (name, content) in reference)
        {
            Assert.True(content.AsSpan().SequenceEqual(built[name]), name + " differs from the local build\n" + context);
        }
    }
}
