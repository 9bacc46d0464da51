#!/usr/bin/env bash
# Packages the multi-host tests (tests/SharpCache.Netns.Tests, NetnsCluster in TestServers) need:
# iproute2 for network namespaces, veth pairs and the bridge; bubblewrap for the build servers'
# sandbox; python3 for the small TCP listener/client the reachability tests run inside namespaces;
# curl to query the scheduler from a host namespace.
set -euo pipefail
. "$(dirname "$0")/../lib/apt.sh"
ensure_packages iproute2 bubblewrap python3 curl
