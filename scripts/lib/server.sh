#!/usr/bin/env bash
# server.sh — shared by the scripts that build Chorus or start a server for a
# test run (e2e-jaeger.sh, test-node-clients.sh, bench.sh, vuln.sh):
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/server.sh"
#
# Sets root (the repository), GO (${GO:-go}) and tools_cache (where pinned
# tools and databases are cached). log prints to stderr prefixed with the
# script's name. work_setup makes a work directory removed on exit (together
# with the server started by spawn); free_port, port_open, http_ready,
# spawn, await_ready and start_with_retry start a server on free loopback
# ports; build_chorus builds ./cmd/chorus.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GO="${GO:-go}"
# shellcheck disable=SC2034 # used by the scripts that source this file
tools_cache="${XDG_CACHE_HOME:-$HOME/.cache}/chorus-tools"
log_name="$(basename "$0" .sh)"

log() { printf '%s: %s\n' "$log_name" "$*" >&2; }

# build_chorus OUT [go build flags...]: builds ./cmd/chorus, statically, into OUT.
build_chorus() {
	local out=$1
	shift
	(cd "$root" && CGO_ENABLED=0 "$GO" build -trimpath "$@" -o "$out" ./cmd/chorus)
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
		if ! port_open "$p"; then
			used_ports+="$p "
			printf -v "$1" '%s' "$p"
			return
		fi
	done
	log "no free port found"
	return 1
}

# port_open PORT...: succeeds when every PORT on 127.0.0.1 accepts connections.
port_open() {
	local p
	for p in "$@"; do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || return 1
	done
}

# http_ready PORT: succeeds when GET /readyz on 127.0.0.1:PORT answers 200
# (plain bash, no curl).
http_ready() {
	local status
	exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
	printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
	IFS= read -r -t 2 status <&3 || status=""
	exec 3<&- 3>&-
	[[ "$status" == "HTTP/1."?" 200"* ]]
}

# work_setup NAME KEEP_VAR: sets work to a fresh directory and, on exit,
# stops the server spawn started, prints the tail of $server_log when the
# script fails, and removes the directory unless the variable named KEEP_VAR
# is set. The exit status is kept; INT and TERM exit with 130.
server_pid=""
server_name="server"
server_log=""
work_setup() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/chorus-$1.XXXXXX")
	work_keep_var=$2
	trap work_cleanup EXIT
	trap 'exit 130' INT TERM
}

work_cleanup() {
	local rc=$?
	stop_server
	if [[ $rc -ne 0 && -s "$server_log" ]]; then
		log "$server_name log (last 40 lines):"
		tail -n 40 "$server_log" >&2 || true
	fi
	if [[ -n "${!work_keep_var:-}" ]]; then
		log "kept $work"
	else
		rm -rf "$work"
	fi
	exit "$rc"
}

# spawn NAME LOG CMD...: starts CMD in the background with its output in LOG;
# its pid is server_pid (one server at a time).
spawn() {
	server_name=$1
	server_log=$2
	shift 2
	"$@" >"$server_log" 2>&1 &
	server_pid=$!
}

# stop_server stops the server spawn started, if it still runs.
stop_server() {
	if [[ -n "$server_pid" ]]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
		server_pid=""
	fi
}

# await_ready SECONDS PROBE [ARGS...]: polls PROBE every 0.1 s until it
# succeeds; fails (and stops the server) when the server exits meanwhile or
# SECONDS pass.
await_ready() {
	local seconds=$1
	shift
	for _ in $(seq 1 $((seconds * 10))); do
		if ! kill -0 "$server_pid" 2>/dev/null; then
			stop_server
			log "$server_name exited during start-up"
			return 1
		fi
		if "$@" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	log "$server_name was not ready within $seconds s"
	stop_server
	return 1
}

# start_with_retry START_FUNC: runs START_FUNC (which picks free ports, spawns
# and awaits the server) up to three times, retrying only when the server
# log says a port was taken between the probe and the bind.
start_with_retry() {
	local attempt
	for attempt in 1 2 3; do
		if "$1"; then
			return 0
		fi
		if ! grep -qi "address already in use" "$server_log" 2>/dev/null; then
			return 1
		fi
		log "port taken meanwhile, retrying ($attempt/3)"
	done
	return 1
}
