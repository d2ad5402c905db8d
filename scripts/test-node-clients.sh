#!/usr/bin/env bash
# test-node-clients: the Node clients users run against gateways (openai-node,
# ollama-js, the Vercel AI SDK, LangChain's ChatOpenAI), unchanged, against a
# real Chorus running the embedded offline demo config (echo models), and the
# tool loops and structured output against a Chorus whose upstreams are the
# scripted Go fake (test/fakeupstream/cmd/agentstack).
#
# Builds ./cmd/chorus, starts it on a free loopback port, installs the pinned
# clients from test/node/package-lock.json (npm ci; ~/.npm caches them), then
# runs `node --test` in test/node with CHORUS_BASE_URL set.
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
stop_agent() {
	if [[ -n "$agent_pid" ]]; then
		kill "$agent_pid" 2>/dev/null || true
		wait "$agent_pid" 2>/dev/null || true
		agent_pid=""
	fi
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
export CHORUS_AGENT_URL="http://127.0.0.1:$agent_port"
FAKE_UPSTREAM_URL=$(awk '/^fake /{print $2}' "$work/agent.out")
export FAKE_UPSTREAM_URL

export CHORUS_BASE_URL="http://127.0.0.1:$port"
log "chorus ready at $CHORUS_BASE_URL; running node --test (node $(node --version))"
cd test/node
node --test --test-reporter=spec --test-timeout=30000
