#!/usr/bin/env bash
# Real servers for the remote-tier tests (tests/SharpCache.TestServers): Redis, Memcached and
# nginx (Debian's nginx has the WebDAV module built in; openssl makes the htpasswd for basic auth
# and the Redis TLS test certificate; memcached -S needs libsasl2-modules (PLAIN) and sasl2-bin
# (saslpasswd2 makes the test's sasldb)).
set -euo pipefail
. "$(dirname "$0")/../lib/apt.sh"
ensure_packages redis-server redis-tools memcached nginx openssl libsasl2-modules sasl2-bin
# The packages start system services on their default ports; the tests start their own servers on
# free ports, so the system instances are not needed (stopping them is best effort: no systemd here).
