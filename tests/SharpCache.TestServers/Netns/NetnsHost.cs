using System.Net;

namespace SharpCache.TestServers.Netns;

/// <summary>
/// One simulated machine of a <see cref="NetnsCluster"/>: its own network namespace with loopback
/// and an <c>eth0</c> on the cluster's bridge at <see cref="Address"/>. <see cref="CpuCgroup"/> is the
/// cgroup directory that caps its processes' CPU, or null when no cap was asked for or possible.
/// </summary>
public sealed record NetnsHost(int Index, string Namespace, IPAddress Address, string? CpuCgroup);
