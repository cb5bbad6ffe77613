#!/usr/bin/env bash
# Chapter 13's measurements: every echo server form against `loadgen`, at
# 1 to 10,000 connections, then 100 active connections beside 0 to 5,000
# idle ones. Writes target/bench/results.csv (and conditions.txt) and draws
# the chapter's plots into src/measuring/.
#
#   tools/loadgen/bench/sweep.sh            # about 3 minutes
#   SECONDS_PER_POINT=10 tools/loadgen/bench/sweep.sh
#   PLOT_ONLY=1 tools/loadgen/bench/sweep.sh   # redraw from the last results
#
# Linux only (it reads /proc). Run it on an otherwise quiet machine: the
# load generator and the server share the CPUs, and so does everything else.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$repo"
seconds=${SECONDS_PER_POINT:-5}
target=${CARGO_TARGET_DIR:-$repo/target}
out=$repo/target/bench
results=$out/results.csv
mkdir -p "$out" src/measuring

if [[ -z ${PLOT_ONLY:-} ]]; then
    # The servers and the load generator, optimised. Then the same server
    # code once more, with mio on poll(2) instead of epoll; in a target
    # directory of its own, because changing RUSTFLAGS rebuilds everything.
    cargo build --quiet --release -p loadgen -p echo-bench
    RUSTFLAGS="--cfg mio_unsupported_force_poll_poll" CARGO_TARGET_DIR="$target/poll-backend" \
        cargo build --quiet --release -p echo-bench
    loadgen=$target/release/loadgen
    declare -A server=(
        [threads]="$target/release/echo-bench threads"
        [mio-epoll]="$target/release/echo-bench mio"
        [mio-poll]="$target/poll-backend/release/echo-bench mio"
    )
    forms=(threads mio-epoll mio-poll)

    # 10,000 connections need 10,000 descriptors in each process: raise the
    # soft limit as far as the hard limit allows (bash's ulimit does the
    # setrlimit call for us). loadgen says so if it is still too low.
    if [[ $(ulimit -n) != unlimited && $(ulimit -n) -lt 10100 ]]; then
        ulimit -n "$(ulimit -Hn)" || true
    fi

    # The server of the point being measured, stopped even if we are interrupted.
    server_pid=""
    trap '[[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null' EXIT

    # Runs one server form against one load; appends one row to $results.
    run_point() {
        local series=$1 form=$2 connections=$3 active=$4
        local log=$out/$form-$connections-$active
        # shellcheck disable=SC2086 # the server command is "binary mode"
        ${server[$form]} >"$log.server.out" 2>"$log.server.err" &
        local pid=$! address=""
        server_pid=$pid
        for _ in $(seq 50); do
            address=$(sed -n 's/^listening on //p' "$log.server.out" 2>/dev/null || true)
            [[ -n $address ]] && break
            sleep 0.1
        done
        local row status=ok
        if [[ -z $address ]]; then
            status="server did not start"
        else
            # loadgen bounds its own run (60 s to connect, then S seconds);
            # timeout is the belt to those braces.
            if timeout $((${seconds%.*} + 120)) "$loadgen" "$address" --connections "$connections" \
                --active "$active" --size 64 --seconds "$seconds" --server-pid "$pid" --csv \
                >"$log.loadgen" 2>&1; then
                :
            else
                local rc=$?
                status="loadgen exit $rc"
                [[ $rc == 124 ]] && status="timed out"
            fi
        fi
        row=$(grep -E '^[0-9]+,' "$log.loadgen" 2>/dev/null | tail -1 || true)
        # No result line: keep the point, with empty measurements (14 columns).
        [[ -z $row ]] && row="$connections,$active,$((connections - active)),64,,,,,,,,,,"
        # Peak resident memory (VmHWM), read before we stop the server.
        local rss=""
        if [[ -r /proc/$pid/status ]]; then
            rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
        else
            status="server exited: $(tail -1 "$log.server.err")"
        fi
        if grep -q 'no thread\|accept failed' "$log.server.err" 2>/dev/null; then
            status="$status; server: $(grep -m1 'no thread\|accept failed' "$log.server.err")"
        fi
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        server_pid=""
        echo "$series,$form,$row,$rss,\"${status//\"/\'}\"" >>"$results"
        printf '%-9s %-9s %s\n' "$form" "$series" "$(head -1 "$log.loadgen" 2>/dev/null || echo "$status")"
    }

    # The conditions, for the chapter: when, on what, and how busy.
    {
        echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
        echo "memory: $(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
        echo "kernel: Linux $(uname -r)"
        echo "rust: $(rustc --version)"
        echo "seconds per point: $seconds"
        echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    } >"$out/conditions.txt"
    echo "series,server,$("$loadgen" --csv-header),peak_rss_kib,status" >"$results"
    # Each point runs every form in turn, so that a disturbance from outside
    # hits all three rather than one.
    for connections in 1 10 100 1000 10000; do
        for form in "${forms[@]}"; do run_point connections "$form" "$connections" "$connections"; done
    done
    for idle in 0 1000 5000; do
        for form in "${forms[@]}"; do run_point idle "$form" $((100 + idle)) 100; done
    done
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/conditions.txt"
    cat "$out/conditions.txt"
    echo "results: $results"
fi

python3 tools/loadgen/bench/plot.py "$results" src/measuring
