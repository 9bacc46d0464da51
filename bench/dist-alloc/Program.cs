using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SharpCache.Dist.Auth;
using SharpCache.Dist.Protocol;

// dist-alloc: allocation throughput of a sharpcache-dist scheduler.
// usage: DistAllocBench <scheduler url> [allocations=20000] [servers=100] [clients=32] [cpus per server=8]
// Each allocation is followed by the simulated server's job_state "complete", as on a real
// cluster, so the load stays bounded (a server holds at most cores + slack jobs).
var scheduler = new Uri(args[0]);
var total = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
var serverCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
var clients = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 32;
var cpus = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 8;

using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = scheduler, Timeout = TimeSpan.FromSeconds(30) };
var servers = Enumerable.Range(0, serverCount).Select(i => $"127.0.0.1:{20000 + i}").ToArray();
var toolchains = Enumerable.Range(0, 8).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([(byte)i]))).ToArray();

async Task HeartbeatAsync(string id, int index)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, DistRoutes.SchedulerHeartbeat)
    {
        Content = JsonContent.Create(new HeartbeatRequest
        {
            ServerId = id,
            InstanceId = "bench",
            NumCpus = cpus,
            MaxJobs = cpus,
            JobKey = Base64Url(JobTokenSigner.NewKey()),
            Toolchains = [toolchains[index % toolchains.Length]],
        }, DistJsonContext.Default.HeartbeatRequest),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{id} dangerously_insecure_server");
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
}

static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

for (var i = 0; i < servers.Length; i++)
{
    await HeartbeatAsync(servers[i], i);
}

using var stop = new CancellationTokenSource();
var heartbeats = Task.Run(async () =>
{
    // Every server heartbeats once a second during the run (30x sccache's rate).
    while (!stop.IsCancellationRequested)
    {
        for (var i = 0; i < servers.Length && !stop.IsCancellationRequested; i++)
        {
            await HeartbeatAsync(servers[i], i);
        }

        try
        {
            await Task.Delay(1000, stop.Token);
        }
        catch (OperationCanceledException)
        {
            break;
        }
    }
});

var latencies = new double[total];
var next = -1;
var failures = 0;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
{
    int n;
    while ((n = Interlocked.Increment(ref next)) < total)
    {
        var started = Stopwatch.GetTimestamp();
        using var alloc = new HttpRequestMessage(HttpMethod.Post, DistRoutes.SchedulerAllocJob)
        {
            Content = JsonContent.Create(new AllocJobRequest(toolchains[n % toolchains.Length]), DistJsonContext.Default.AllocJobRequest),
        };
        alloc.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dangerously_insecure_client");
        using var response = await http.SendAsync(alloc);
        var body = await response.Content.ReadFromJsonAsync(DistJsonContext.Default.AllocJobResponse);
        latencies[n] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (body?.Job is not { } job)
        {
            Interlocked.Increment(ref failures);
            continue;
        }

        using var complete = new HttpRequestMessage(HttpMethod.Post, DistRoutes.SchedulerJobState(job.JobId))
        {
            Content = JsonContent.Create(new JobStateUpdate(JobState.Complete), DistJsonContext.Default.JobStateUpdate),
        };
        complete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{job.ServerId} dangerously_insecure_server");
        using var done = await http.SendAsync(complete);
        done.EnsureSuccessStatusCode();
    }
})));
clock.Stop();
await stop.CancelAsync();
await heartbeats;

Array.Sort(latencies);
double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocations={total} servers={serverCount} clients={clients} failed={failures}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"elapsed_s={clock.Elapsed.TotalSeconds:F2} allocs_per_s={total / clock.Elapsed.TotalSeconds:F0}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"alloc_latency_ms p50={Percentile(0.50):F3} p99={Percentile(0.99):F3} max={latencies[^1]:F3}"));
return failures == 0 ? 0 : 1;
