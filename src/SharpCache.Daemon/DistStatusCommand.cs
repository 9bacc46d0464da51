using System.Buffers;
using System.Text.Json;
using SharpCache.Configuration;

namespace SharpCache.DaemonProcess;

/// <summary>
/// <c>sharpcache --dist-status</c>: sccache's one-line JSON <c>DistInfo</c>. <c>{"Disabled":"disabled"}</c> without a
/// <c>[dist] scheduler_url</c>; <c>{"SchedulerStatus":[url,{"num_servers":N,"num_cpus":C,"in_progress":J}]}</c> from the
/// scheduler's unauthenticated status endpoint; <c>{"NotConnected":[url,reason]}</c> when it cannot be reached or
/// answers nonsense. Run by `sharpcache-daemon --dist-status` (the NativeAOT client stays free of HttpClient, 3.4 MB);
/// it asks the scheduler directly rather than through a running daemon.
/// </summary>
internal static class DistStatusCommand
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static int Run(SharpCacheOptions options, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stdout);
        var address = options.Dist?.SchedulerAddress;
        if (address is null)
        {
            stdout.WriteLine("{\"Disabled\":\"disabled\"}");
            return 0;
        }

        var url = address.EndsWith('/') ? address : address + "/";
        stdout.WriteLine(Query(url, out var servers, out var cpus, out var inProgress, out var reason)
            ? Json(w =>
            {
                w.WriteStartArray("SchedulerStatus");
                w.WriteStringValue(url);
                w.WriteStartObject();
                w.WriteNumber("num_servers", servers);
                w.WriteNumber("num_cpus", cpus);
                w.WriteNumber("in_progress", inProgress);
                w.WriteEndObject();
                w.WriteEndArray();
            })
            : Json(w =>
            {
                w.WriteStartArray("NotConnected");
                w.WriteStringValue(url);
                w.WriteStringValue(reason);
                w.WriteEndArray();
            }));
        return 0;
    }

    private static bool Query(string url, out long servers, out long cpus, out long inProgress, out string reason)
    {
        servers = cpus = inProgress = 0;
        try
        {
            using var http = new HttpClient { Timeout = Timeout };
            using var response = http.GetAsync(new Uri(new Uri(url), "api/v1/scheduler/status")).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                reason = "scheduler answered HTTP " + (int)response.StatusCode;
                return false;
            }

            var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("num_servers", out var s) || !s.TryGetInt64(out servers)
                || !root.TryGetProperty("num_cpus", out var c) || !c.TryGetInt64(out cpus)
                || !root.TryGetProperty("in_progress", out var j) || !j.TryGetInt64(out inProgress))
            {
                reason = "the scheduler's status is not what a sharpcache-dist scheduler sends";
                return false;
            }

            reason = "";
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or UriFormatException or IOException)
        {
            reason = "cannot reach the scheduler: " + e.Message;
            return false;
        }
    }

    private static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
