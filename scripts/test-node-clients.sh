#!/usr/bin/env bash
# test-node-clients: the Node clients users run against gateways (openai-node,
# ollama-js, the Vercel AI SDK, LangChain's ChatOpenAI), unchanged, against a
# real Chorus running the embedded offline demo config (echo models), and the
# tool loops and structured output against a Chorus whose upstreams are the
# scripted Go fake (test/fakeupstream/cmd/agentstack).
#
# Builds ./cmd/chorus, starts it on a free loopback port, installs the pinned
# clients from test/node/package-lock.json (npm ci; ~/.npm caches them), then
# runs `node --test` in test/node with CHORUS_BASE_URL set. The clients reach
# both Chorus processes through test/contract/cmd/officialproxy, which checks
# every answer they read against the official OpenAI and Ollama documents:
# the run fails when one breaks them, even if the lenient clients coped.
#
# Usage: scripts/test-node-clients.sh     (from anywhere in the repository)
# Needs: go, node >= 20, npm.
# Env:   NODE_CLIENTS_KEEP=1               keep the work directory (config, log)
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/server.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"

for tool in "$GO" node npm; do
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

work_setup node-clients NODE_CLIENTS_KEEP

cd "$root"
log "building ./cmd/chorus"
build_chorus "$work/chorus"

log "installing the pinned Node clients (npm ci)"
(cd test/node && npm ci --no-audit --no-fund --loglevel=error)

# start_chorus starts Chorus with the demo config on a fresh free port and
# waits for /readyz; it fails if Chorus exits meanwhile.
demo="internal/adapters/config/demo.toml"
port=""
start_chorus() {
	free_port port
	if ! grep -q '^port = 11435$' "$demo"; then
		log "$demo has no 'port = 11435' line to replace"
		exit 1
	fi
	sed "s/^port = 11435\$/port = $port/" "$demo" >"$work/chorus.toml"
	# No admin listener (/metrics): the clients never scrape, and the port
	# after ours may be the agentstack's.
	spawn chorus "$work/chorus.log" "$work/chorus" --config "$work/chorus.toml" --log-level warn --admin-addr off
	await_ready 10 http_ready "$port"
}

start_with_retry start_chorus

# The tool loops (tools.test.mjs) and structured output (structured.test.mjs)
# need upstreams that call tools and follow a JSON schema: agentstack serves a
# Chorus backed by the scripted Go fake upstream, in one process.
log "building test/fakeupstream/cmd/agentstack"
(cd "$root" && CGO_ENABLED=0 "$GO" build -o "$work/agentstack" ./test/fakeupstream/cmd/agentstack)
agent_pid=""
proxy_pids=()
stop_agent() {
	local pid
	for pid in "$agent_pid" "${proxy_pids[@]}"; do
		if [[ -n "$pid" ]]; then
			kill "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	agent_pid=""
	proxy_pids=()
}
trap 'rc=$?; stop_agent; (exit $rc); work_cleanup' EXIT
agent_port=""
free_port agent_port
"$work/agentstack" -port "$agent_port" >"$work/agent.out" 2>"$work/agent.log" &
agent_pid=$!
for _ in $(seq 1 100); do
	if http_ready "$agent_port" 2>/dev/null && grep -q '^fake ' "$work/agent.out"; then
		break
	fi
	if ! kill -0 "$agent_pid" 2>/dev/null; then
		log "agentstack exited during start-up"
		cat "$work/agent.log" >&2
		exit 1
	fi
	sleep 0.1
done
FAKE_UPSTREAM_URL=$(awk '/^fake /{print $2}' "$work/agent.out")
export FAKE_UPSTREAM_URL

log "building test/contract/cmd/officialproxy"
(cd "$root" && CGO_ENABLED=0 "$GO" build -o "$work/officialproxy" ./test/contract/cmd/officialproxy)
# start_proxy VAR TARGET_PORT NAME: starts an officialproxy in front of
# 127.0.0.1:TARGET_PORT and sets the variable named VAR to its port.
start_proxy() {
	local proxy_port pid # not "p": free_port's own local would shadow it
	free_port proxy_port
	"$work/officialproxy" -port "$proxy_port" -target "127.0.0.1:$2" >"$work/$3.out" 2>"$work/$3.log" &
	pid=$!
	proxy_pids+=("$pid")
	for _ in $(seq 1 100); do
		if grep -q '^ready' "$work/$3.out"; then
			printf -v "$1" '%s' "$proxy_port"
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	log "$3 did not start"
	cat "$work/$3.log" >&2
	return 1
}
chorus_proxy=""
agent_proxy=""
start_proxy chorus_proxy "$port" proxy-demo
start_proxy agent_proxy "$agent_port" proxy-agent
export CHORUS_AGENT_URL="http://127.0.0.1:$agent_proxy"
export CHORUS_BASE_URL="http://127.0.0.1:$chorus_proxy"
log "chorus ready behind $CHORUS_BASE_URL; running node --test (node $(node --version))"
node_rc=0
(cd test/node && node --test --test-reporter=spec --test-timeout=30000) || node_rc=$?

# The proxies report on SIGTERM: how many answers they checked, and every
# answer that broke the official documents (exit 1).
proxy_rc=0
for i in "${!proxy_pids[@]}"; do
	kill -TERM "${proxy_pids[$i]}" 2>/dev/null || true
	wait "${proxy_pids[$i]}" || proxy_rc=1
done
proxy_pids=()
for name in proxy-demo proxy-agent; do
	log "$name: $(tail -n 1 "$work/$name.out")"
	if [[ -s "$work/$name.log" ]]; then
		cat "$work/$name.log" >&2
	fi
done
if ((node_rc != 0)); then
	exit "$node_rc"
fi
exit "$proxy_rc"
