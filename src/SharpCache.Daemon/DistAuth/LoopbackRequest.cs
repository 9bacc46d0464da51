namespace SharpCache.DaemonProcess.DistAuth;

/// <summary>One HTTP request the browser sent to the loopback listener: method, path, query (without <c>?</c>) and body text.</summary>
internal sealed record LoopbackRequest(string Method, string Path, string Query, string Body);
