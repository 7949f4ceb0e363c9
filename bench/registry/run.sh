#!/usr/bin/env bash
# Pushes and pulls the same ~200 MB image with `skopeo copy` against berth-registry (release build)
# and Debian's docker-registry (the reference distribution server), both on loopback, alternating,
# for several rounds; prints medians, ratios, and berth-registry's peak RSS. It also prints, per
# side and direction, the median CPU seconds (user+system) of the registry (from /proc/PID/stat)
# and of skopeo (from /usr/bin/time): on a small machine the two compete for the same cores.
#
#   bench/registry/run.sh [ROUNDS] [SIZE_MB]
# Needs: skopeo, docker-registry (scripts/setup), python3, and `swift build -c release --product berth-registry`
# (BERTH_REGISTRY=path overrides the binary).
set -euo pipefail
ROUNDS=${1:-5}
SIZE_MB=${2:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BIN=${BERTH_REGISTRY:-$REPO/.build/release/berth-registry}
[ -x "$BIN" ] || { echo "build first: swift build -c release --product berth-registry" >&2; exit 1; }
command -v skopeo >/dev/null || { echo "skopeo missing (scripts/setup)" >&2; exit 1; }
command -v docker-registry >/dev/null || { echo "docker-registry missing (scripts/setup)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (scripts/setup)" >&2; exit 1; }

WORK=$(mktemp -d /var/tmp/berth-bench-registry.XXXXXX)
BERTH_PID=""; REF_PID=""
cleanup() {
  [ -n "$BERTH_PID" ] && kill "$BERTH_PID" 2>/dev/null && wait "$BERTH_PID" 2>/dev/null || true
  [ -n "$REF_PID" ] && kill "$REF_PID" 2>/dev/null && wait "$REF_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$1/v2/" && return 0; sleep 0.05; done; echo "port $1 never answered" >&2; return 1; }
now() { date +%s.%N; }
# CPU seconds (user+system) a process has used so far.
cpu_of() { awk -v t="$(getconf CLK_TCK)" '{print ($14 + $15) / t}' "/proc/$1/stat"; }
# Runs skopeo, writing its CPU seconds to $WORK/skopeo-cpu.
skopeo_timed() { /usr/bin/time -f '%U %S' -o "$WORK/time.out" skopeo "$@"; awk '{print $1 + $2}' "$WORK/time.out" >"$WORK/skopeo-cpu"; }

python3 "$HERE/make-image.py" "$WORK/image" "$SIZE_MB" 4 >/dev/null
echo "image: $(du -sh "$WORK/image" | cut -f1) in 4 layers; $ROUNDS rounds, alternating"

start_berth() {
  BERTH_PORT=$(free_port)
  rm -rf "$WORK/berth-root"
  "$BIN" serve --addr "127.0.0.1:$BERTH_PORT" --root "$WORK/berth-root" --log-level error 2>>"$WORK/berth.log" &
  BERTH_PID=$!
  wait_port "$BERTH_PORT"
}
start_ref() {
  REF_PORT=$(free_port)
  rm -rf "$WORK/ref-root"
  cat >"$WORK/ref.yml" <<YML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage:
  filesystem: { rootdirectory: $WORK/ref-root }
  delete: { enabled: true }
http: { addr: 127.0.0.1:$REF_PORT }
YML
  docker-registry serve "$WORK/ref.yml" 2>>"$WORK/ref.log" &
  REF_PID=$!
  wait_port "$REF_PORT"
}
# Peak RSS (VmHWM, kB) of a process, then stop it.
stop_side() {
  local pid=$1 hwm
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$hwm"
}

# Each round starts both registries empty on new ports (so skopeo's blob-info cache cannot turn a
# push into mounts), pushes, pulls into tmpfs (so the client's disk writes do not dominate), stops them.
PULLED=$(mktemp -d /dev/shm/berth-bench-pulled.XXXXXX)
trap 'cleanup; rm -rf "$PULLED"' EXIT
declare -A PUSH PULL PUSH_SRV PULL_SRV PUSH_CLI PULL_CLI
BERTH_RSS=0; REF_RSS=0
for round in $(seq "$ROUNDS"); do
  for side in berth ref; do
    if [ $side = berth ]; then start_berth; port=$BERTH_PORT; pid=$BERTH_PID; else start_ref; port=$REF_PORT; pid=$REF_PID; fi
    repo="bench/image"
    c0=$(cpu_of "$pid"); t0=$(now)
    skopeo_timed copy -q --dest-tls-verify=false "oci:$WORK/image:latest" "docker://127.0.0.1:$port/$repo:latest" >/dev/null
    t1=$(now); c1=$(cpu_of "$pid"); PUSH_CLI[$side]+="$(cat "$WORK/skopeo-cpu") "
    rm -rf "$PULLED/out"
    c1b=$(cpu_of "$pid"); t1b=$(now)
    skopeo_timed copy -q --src-tls-verify=false "docker://127.0.0.1:$port/$repo:latest" "oci:$PULLED/out:latest" >/dev/null
    t2=$(now); c2=$(cpu_of "$pid"); PULL_CLI[$side]+="$(cat "$WORK/skopeo-cpu") "
    PUSH[$side]+="$(echo "$t1 - $t0" | bc) "
    PULL[$side]+="$(echo "$t2 - $t1b" | bc) "
    PUSH_SRV[$side]+="$(echo "$c1 - $c0" | bc) "
    PULL_SRV[$side]+="$(echo "$c2 - $c1b" | bc) "
    if [ $side = berth ]; then
      hwm=$(stop_side "$BERTH_PID"); BERTH_PID=""; [ "$hwm" -gt "$BERTH_RSS" ] && BERTH_RSS=$hwm
    else
      hwm=$(stop_side "$REF_PID"); REF_PID=""; [ "$hwm" -gt "$REF_RSS" ] && REF_RSS=$hwm
    fi
  done
  echo "round $round: push berth $(echo ${PUSH[berth]} | awk '{print $NF}')s ref $(echo ${PUSH[ref]} | awk '{print $NF}')s; pull berth $(echo ${PULL[berth]} | awk '{print $NF}')s ref $(echo ${PULL[ref]} | awk '{print $NF}')s"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
bp=$(echo ${PUSH[berth]} | median); rp=$(echo ${PUSH[ref]} | median)
bl=$(echo ${PULL[berth]} | median); rl=$(echo ${PULL[ref]} | median)
rss=$BERTH_RSS; ref_rss=$REF_RSS
printf 'push: berth-registry %.3fs  docker-registry %.3fs  ratio %.2f (target <= 0.70)\n' "$bp" "$rp" "$(echo "$bp / $rp" | bc -l)"
printf 'pull: berth-registry %.3fs  docker-registry %.3fs  ratio %.2f (target <= 0.70)\n' "$bl" "$rl" "$(echo "$bl / $rl" | bc -l)"
for dir in push pull; do
  for side in berth ref; do
    if [ $dir = push ]; then w=${PUSH[$side]}; srv=${PUSH_SRV[$side]}; cli=${PUSH_CLI[$side]}; else w=${PULL[$side]}; srv=${PULL_SRV[$side]}; cli=${PULL_CLI[$side]}; fi
    printf '  %s %-5s median: wall %.3fs, registry CPU %.2fs, skopeo CPU %.2fs\n' "$dir" "$side" \
      "$(echo $w | median)" "$(echo $srv | median)" "$(echo $cli | median)"
  done
done
printf 'peak RSS: berth-registry %d MB (target <= 50)  docker-registry %d MB\n' $((rss / 1024)) $((ref_rss / 1024))
