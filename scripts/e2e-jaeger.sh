#!/usr/bin/env bash
# e2e-jaeger: run Chorus with OTLP export into a real Jaeger v2 and check the
# workflow's trace through Jaeger's HTTP query API (test/jaeger, build tag
# e2ejaeger).
#
# Jaeger is built from the Go module proxy as a pinned tool (tools/jaeger) and
# cached under ${XDG_CACHE_HOME:-~/.cache}/chorus-tools/jaeger-<sha256(go.sum)>,
# so only the first run on a machine pays the 8-16 minute build. Every Jaeger
# listener is bound to 127.0.0.1 on free ports; storage is in memory.
#
# Usage: scripts/e2e-jaeger.sh            (from anywhere in the repository)
# Env:   JAEGER_BIN=/path/to/jaeger       use this binary instead of the cache
#        E2E_JAEGER_KEEP=1                keep the work directory (config, logs)
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"

# jaeger_binary prints the path of the cached Jaeger, building it if needed.
jaeger_binary() {
	if [[ -n "${JAEGER_BIN:-}" ]]; then
		printf '%s\n' "$JAEGER_BIN"
		return
	fi
	local sum bin tmp start
	sum=$(sha256sum "$root/tools/jaeger/go.sum" | cut -c1-16)
	bin="$tools_cache/jaeger-$sum"
	if [[ ! -x "$bin" ]]; then
		mkdir -p "$tools_cache"
		tmp="$bin.tmp.$$"
		start=$(date +%s)
		log "building Jaeger into $bin (first run on this machine: 8-16 min on 2 cores)"
		(cd "$root/tools/jaeger" && "$GO" build -o "$tmp" github.com/jaegertracing/jaeger/cmd/jaeger)
		mv -f "$tmp" "$bin" # atomic: a concurrent run never sees half a binary
		log "Jaeger built in $(($(date +%s) - start)) s"
	fi
	printf '%s\n' "$bin"
}

write_config() {
	cat >"$1" <<YAML
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn

extensions:
  jaeger_query:
    # Jaeger would otherwise trace its own queries to localhost:4317.
    enable_tracing: false
    storage:
      traces: memstore
    grpc:
      endpoint: 127.0.0.1:$query_grpc_port
    http:
      endpoint: 127.0.0.1:$query_http_port
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000

receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:$otlp_grpc_port
      http:
        endpoint: 127.0.0.1:$otlp_http_port

processors:
  batch:
    timeout: 100ms

exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
YAML
}

jaeger=$(jaeger_binary)
work_setup e2e-jaeger E2E_JAEGER_KEEP

# The ports Jaeger listens on; start_jaeger picks them, write_config uses them.
otlp_grpc_port="" otlp_http_port="" query_grpc_port="" query_http_port=""

# start_jaeger starts Jaeger on fresh free ports and waits until its OTLP
# and query ports accept connections; it fails if Jaeger exits meanwhile.
start_jaeger() {
	free_port otlp_grpc_port
	free_port otlp_http_port
	free_port query_grpc_port
	free_port query_http_port
	write_config "$work/jaeger.yaml"
	log "starting Jaeger (OTLP http 127.0.0.1:$otlp_http_port, query http 127.0.0.1:$query_http_port)"
	spawn Jaeger "$work/jaeger.log" "$jaeger" --config "file:$work/jaeger.yaml"
	await_ready 30 port_open "$otlp_http_port" "$query_http_port"
}

start_with_retry start_jaeger

cd "$root"
CHORUS_E2E_OTLP_ENDPOINT="http://127.0.0.1:$otlp_http_port" \
	CHORUS_E2E_JAEGER_QUERY="http://127.0.0.1:$query_http_port" \
	"$GO" test -tags e2ejaeger ./test/jaeger/ -count=1 -v
