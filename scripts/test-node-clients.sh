#!/usr/bin/env bash
# test-node-clients: the Node clients users run against gateways (openai-node,
# ollama-js, the Vercel AI SDK, LangChain's ChatOpenAI), unchanged, against a
# real Chorus running the embedded offline demo config (echo models).
#
# Builds ./cmd/chorus, starts it on a free loopback port, installs the pinned
# clients from test/node/package-lock.json (npm ci; ~/.npm caches them), then
# runs `node --test` in test/node with CHORUS_BASE_URL set.
#
# Usage: scripts/test-node-clients.sh     (from anywhere in the repository)
# Needs: go, node >= 20, npm.
# Env:   NODE_CLIENTS_KEEP=1               keep the work directory (config, log)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf 'test-node-clients: %s\n' "$*" >&2; }

for tool in go node npm; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		log "$tool is not installed (needs go, node >= 20 and npm)"
		exit 1
	fi
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
	log "node $(node --version) is too old: the pinned clients need node >= 20"
	exit 1
fi

# free_port sets the variable named $1 to a loopback TCP port nobody listens
# on, below the kernel's ephemeral range (where outgoing connections cannot
# hold it). It must not run in a $(...) subshell, which would replay $RANDOM.
port_max=$(($(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768) - 1))
port_min=$((port_max > 20000 ? 10000 : 1024))
free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$((port_min + RANDOM % (port_max - port_min)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			printf -v "$1" '%s' "$p"
			return
		fi
	done
	log "no free port found"
	return 1
}

# ready succeeds when GET /readyz on $1 answers 200 (plain bash, no curl).
ready() {
	local status
	exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
	printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
	IFS= read -r -t 2 status <&3 || status=""
	exec 3<&- 3>&-
	[[ "$status" == "HTTP/1."?" 200"* ]]
}

work=$(mktemp -d "${TMPDIR:-/tmp}/chorus-node-clients.XXXXXX")
chorus_pid=""
cleanup() {
	local rc=$?
	if [[ -n "$chorus_pid" ]]; then
		kill "$chorus_pid" 2>/dev/null || true
		wait "$chorus_pid" 2>/dev/null || true
	fi
	if [[ $rc -ne 0 && -s "$work/chorus.log" ]]; then
		log "chorus log (last 40 lines):"
		tail -n 40 "$work/chorus.log" >&2 || true
	fi
	if [[ -n "${NODE_CLIENTS_KEEP:-}" ]]; then
		log "kept $work"
	else
		rm -rf "$work"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$root"
log "building ./cmd/chorus"
CGO_ENABLED=0 go build -o "$work/chorus" ./cmd/chorus

log "installing the pinned Node clients (npm ci)"
(cd test/node && npm ci --no-audit --no-fund --loglevel=error)

# start_chorus starts Chorus with the demo config on a fresh free port and
# waits for /readyz; it fails if Chorus exits meanwhile.
demo="internal/adapters/config/demo.toml"
start_chorus() {
	free_port port
	if ! grep -q '^port = 11435$' "$demo"; then
		log "$demo has no 'port = 11435' line to replace"
		exit 1
	fi
	sed "s/^port = 11435\$/port = $port/" "$demo" >"$work/chorus.toml"
	"$work/chorus" --config "$work/chorus.toml" --log-level warn >"$work/chorus.log" 2>&1 &
	chorus_pid=$!
	for _ in $(seq 1 100); do
		if ! kill -0 "$chorus_pid" 2>/dev/null; then
			wait "$chorus_pid" 2>/dev/null || true
			chorus_pid=""
			log "chorus exited during start-up"
			return 1
		fi
		if ready "$port" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	log "chorus was not ready within 10 s"
	return 1
}

# A port can still be taken between the probe and Chorus's bind: retry.
started=""
for attempt in 1 2 3; do
	if start_chorus; then
		started=1
		break
	fi
	if ! grep -qi "address already in use" "$work/chorus.log" 2>/dev/null; then
		break
	fi
	log "port taken meanwhile, retrying ($attempt/3)"
done
[[ -n "$started" ]] || exit 1

export CHORUS_BASE_URL="http://127.0.0.1:$port"
log "chorus ready at $CHORUS_BASE_URL; running node --test (node $(node --version))"
cd test/node
node --test --test-reporter=spec --test-timeout=30000
