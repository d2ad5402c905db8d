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

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/chorus-tools"

log() { printf 'e2e-jaeger: %s\n' "$*" >&2; }

# jaeger_binary prints the path of the cached Jaeger, building it if needed.
jaeger_binary() {
	if [[ -n "${JAEGER_BIN:-}" ]]; then
		printf '%s\n' "$JAEGER_BIN"
		return
	fi
	local sum bin tmp start
	sum=$(sha256sum "$root/tools/jaeger/go.sum" | cut -c1-16)
	bin="$cache/jaeger-$sum"
	if [[ ! -x "$bin" ]]; then
		mkdir -p "$cache"
		tmp="$bin.tmp.$$"
		start=$(date +%s)
		log "building Jaeger into $bin (first run on this machine: 8-16 min on 2 cores)"
		(cd "$root/tools/jaeger" && go build -o "$tmp" github.com/jaegertracing/jaeger/cmd/jaeger)
		mv -f "$tmp" "$bin" # atomic: a concurrent run never sees half a binary
		log "Jaeger built in $(($(date +%s) - start)) s"
	fi
	printf '%s\n' "$bin"
}

# free_port sets the variable named $1 to a loopback TCP port nobody listens
# on and that this run has not handed out yet. (It must not run in a $(...)
# subshell: every subshell would replay the same $RANDOM sequence.)
# Ports come from below the kernel's ephemeral range, where outgoing
# connections (invisible to a connect probe) cannot hold them.
used_ports=" "
port_max=$(($(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768) - 1))
port_min=$((port_max > 20000 ? 10000 : 1024))
free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$((port_min + RANDOM % (port_max - port_min)))
		[[ "$used_ports" == *" $p "* ]] && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			used_ports+="$p "
			printf -v "$1" '%s' "$p"
			return
		fi
	done
	log "no free port found"
	return 1
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
work=$(mktemp -d "${TMPDIR:-/tmp}/chorus-e2e-jaeger.XXXXXX")
jaeger_pid=""
cleanup() {
	local rc=$?
	if [[ -n "$jaeger_pid" ]]; then
		kill "$jaeger_pid" 2>/dev/null || true
		wait "$jaeger_pid" 2>/dev/null || true
	fi
	if [[ $rc -ne 0 && -f "$work/jaeger.log" ]]; then
		log "Jaeger log (last 40 lines):"
		tail -n 40 "$work/jaeger.log" >&2 || true
	fi
	if [[ -n "${E2E_JAEGER_KEEP:-}" ]]; then
		log "kept $work"
	else
		rm -rf "$work"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_jaeger starts Jaeger on fresh free ports and waits until its OTLP
# and query ports accept connections; it fails if Jaeger exits meanwhile.
start_jaeger() {
	free_port otlp_grpc_port
	free_port otlp_http_port
	free_port query_grpc_port
	free_port query_http_port
	write_config "$work/jaeger.yaml"
	log "starting Jaeger (OTLP http 127.0.0.1:$otlp_http_port, query http 127.0.0.1:$query_http_port)"
	"$jaeger" --config "file:$work/jaeger.yaml" >"$work/jaeger.log" 2>&1 &
	jaeger_pid=$!
	for _ in $(seq 1 150); do
		if ! kill -0 "$jaeger_pid" 2>/dev/null; then
			wait "$jaeger_pid" 2>/dev/null || true
			jaeger_pid=""
			log "Jaeger exited during start-up"
			return 1
		fi
		if (exec 3<>"/dev/tcp/127.0.0.1/$otlp_http_port") 2>/dev/null &&
			(exec 3<>"/dev/tcp/127.0.0.1/$query_http_port") 2>/dev/null; then
			return 0
		fi
		sleep 0.2
	done
	log "Jaeger did not open its ports within 30 s"
	kill "$jaeger_pid" 2>/dev/null || true
	wait "$jaeger_pid" 2>/dev/null || true
	jaeger_pid=""
	return 1
}

# A port can still be taken between the probe and Jaeger's bind: retry.
started=""
for attempt in 1 2 3; do
	if start_jaeger; then
		started=1
		break
	fi
	if ! grep -q "address already in use" "$work/jaeger.log" 2>/dev/null; then
		break
	fi
	log "port taken meanwhile, retrying ($attempt/3)"
done
if [[ -z "$started" ]]; then
	exit 1
fi

cd "$root"
CHORUS_E2E_OTLP_ENDPOINT="http://127.0.0.1:$otlp_http_port" \
	CHORUS_E2E_JAEGER_QUERY="http://127.0.0.1:$query_http_port" \
	go test -tags e2ejaeger ./test/jaeger/ -count=1 -v
