#!/usr/bin/env bash
# ops/bench.sh: the service against the load generator's hand-written SQL peer, in one session.
#
# Starts the service from its jar with a fresh data dir (so its embedded PostgreSQL is fresh too),
# warms it up once, then runs each scenario of the "Write path v2" issue over the service and,
# right after it, the same load over the SQL peer on the SAME embedded PostgreSQL: each ratio comes
# from two adjacent runs on one machine, which is the only comparison this shared 2-core machine
# allows (absolute figures move by a factor of two with the load of other work).
#
# For every run it records what the load generator prints (transfers/s, p99, the balance read
# model's lag, the books check and its exit status) and, over the measured time only (the load
# generator marks its start and end on stderr), the CPU of the service JVM and of every process of
# the embedded PostgreSQL from /proc, plus PostgreSQL's own counters (pg_stat_database, WAL) via
# psql, each divided by the transfers acknowledged in the measured time.
#
# Usage: ops/bench.sh [--quick] [--only IDS] [--duration D] [--out FILE] [--jar-dir DIR] [--label TEXT] [--keep-data]
#   --quick       5 s runs after 2 s warm-up (and a 5 s service warm-up run): a smoke check only
#   --only IDS    run only these scenarios, e.g. 1,5 (5, 7 and 8 reuse 1's peer run: take both;
#                 7 and 8 are floors: calls the service refuses before its database)
#   --duration D  each run's measured time (e.g. 15s) instead of 30s; warm-ups unchanged
#   --out FILE    the markdown report (default target/bench/results.md); also printed on stdout
#   --jar-dir DIR where ledger-api.jar and ledger-loadgen.jar are (or a built checkout holding
#                 ledger-api/target and ledger-loadgen/target); default this repo's module targets
#   --label TEXT  what was built (e.g. a commit), written into the report's header
#   --keep-data   keep target/bench/data (the embedded PostgreSQL, GBs after a full run) afterwards
# Environment: SERVICE_JAVA_OPTS (extra JVM options of the service, e.g. -Xmx2g), JAVA (default java).
# Logs of every run and of the service: target/bench/logs/. Exit status: 0 all runs done with their
# books ok; 1 some run failed or its books did not check (the report is written all the same);
# 2 usage; 3 the service could not be started.
set -euo pipefail
# Java formats numbers with the default locale: C keeps the decimal point a point for parsing.
export LC_ALL=C

usage() { sed -n '/^# Usage:/,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
log() { printf '%s bench: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $1"; exit "${2:-3}"; }   # die MESSAGE [STATUS]

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quick=0 out="" jar_dir="" label="" keep_data=0 only="" duration_opt=""
while (($#)); do
  case $1 in
    --quick) quick=1 ;;
    --only) only=${2:?--only needs scenario ids}; shift ;;
    --duration) duration_opt=${2:?--duration needs a time such as 15s}; shift ;;
    --out) out=${2:?--out needs a file}; shift ;;
    --jar-dir) jar_dir=${2:?--jar-dir needs a directory}; shift ;;
    --label) label=${2:?--label needs a text}; shift ;;
    --keep-data) keep_data=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  shift
done

# --- what to run ---------------------------------------------------------------------------------
if ((quick)); then
  duration=5s warmup=2s service_warmup=5s
else
  duration=30s warmup=10s service_warmup=60s   # the issue's 30 s after 10 s, after 60 s of warm-up
fi
accounts=10000
seed=42   # the same random transfers for the service and its peer run

# Scenarios: id | title | service options | peer options ("=N": reuse the peer run of scenario N,
# "~N": compare with the service run of scenario N) | the service run's own warm-up, if longer.
# Settlements get 40 s: the service's warm-up run posts transfers only, and with 10 s the JIT
# compiler still took a fifth to a third of the service's CPU in the measured settlement run
# (per-thread CPU from /proc, docs/performance.md).
scenarios=(
  "1|gRPC, 8 clients, single transfers|--protocol grpc --clients 8|--protocol sql --clients 8"
  "2|gRPC, 32 clients, single transfers|--protocol grpc --clients 32|--protocol sql --clients 32"
  "3|gRPC, 2 clients, batches of 1,000|--protocol grpc --clients 2 --batch 1000|--protocol sql --clients 2 --batch 1000"
  "4|gRPC, 32 clients, 10 hot accounts|--protocol grpc --clients 32 --hot 10|--protocol sql --clients 32 --hot 10"
  "5|REST, 8 clients, single transfers (peer: run of 1)|--protocol rest --clients 8|=1"
  "6|gRPC, 32 clients, settlements USD to JPY (ratio: over 1's service run, target 0.25)|--scenario settlements --protocol grpc --clients 32 --currencies USD,JPY|~1|40s"
  "7|floor: gRPC, 8 clients, every transfer refused before the database (peer: run of 1)|--protocol grpc --clients 8 --amount -1.00|=1"
  "8|floor: REST, 8 clients, every transfer refused before the database (peer: run of 1)|--protocol rest --clients 8 --amount -1.00|=1"
)
[[ -n $duration_opt ]] && duration=$duration_opt
if [[ -n $only ]]; then
  chosen=()
  for line in "${scenarios[@]}"; do
    [[ ",$only," == *",${line%%|*},"* ]] && chosen+=("$line")
  done
  ((${#chosen[@]})) || die "--only $only names no scenario" 2
  for line in "${chosen[@]}"; do
    IFS='|' read -r _ _ _ peer _ <<<"$line"
    [[ $peer != =* || ",$only," == *",${peer#=},"* ]] || die "--only: scenario ${line%%|*} needs scenario ${peer#=} (its peer run)" 2
    [[ $peer != "~"* || ",$only," == *",${peer#\~},"* ]] || die "--only: scenario ${line%%|*} needs scenario ${peer#\~} (its service run)" 2
  done
  scenarios=("${chosen[@]}")
fi

# --- jars, directories -----------------------------------------------------------------------------
find_jar() { # name module: DIR/name.jar, or DIR/module/target/name.jar, or this repo's
  local name=$1 module=$2
  if [[ -n $jar_dir ]]; then
    for f in "$jar_dir/$name.jar" "$jar_dir/$module/target/$name.jar"; do
      [[ -f $f ]] && { realpath "$f"; return; }
    done
    die "no $name.jar in $jar_dir (nor in $jar_dir/$module/target)" 2
  fi
  [[ -f $repo/$module/target/$name.jar ]] || die "no $repo/$module/target/$name.jar: build first (./mvnw -DskipTests package) or pass --jar-dir" 2
  realpath "$repo/$module/target/$name.jar"
}
api_jar=$(find_jar ledger-api ledger-api)
loadgen_jar=$(find_jar ledger-loadgen ledger-loadgen)
java=${JAVA:-java}

bench_dir=$repo/target/bench
data_dir=$bench_dir/data
logs=$bench_dir/logs
out=${out:-$bench_dir/results.md}
mkdir -p "$bench_dir"
# One bench at a time per checkout: two would share the data dir and each other's CPU. (The lock's
# fd 9 is closed for the processes started below, so that no leftover of theirs keeps it.)
exec 9>"$bench_dir/.lock"
flock -n 9 || die "another ops/bench.sh runs in $repo (lock $bench_dir/.lock)" 2
rm -rf -- "$logs" && mkdir -p "$logs"

hz=$(getconf CLK_TCK)                                   # /proc/PID/stat counts in these
ms_per_tick=$(awk -v h="$hz" 'BEGIN { print 1000 / h }')
operator_key=bench-admin-key-123456

# --- processes we start, stopped on any exit -------------------------------------------------------
svc_pid="" pg_pid="" pg_port="" lg_pid="" fifo=""

# The postmaster, if it is still the one of our data dir (pids get reused).
pg_alive() {
  [[ -n $pg_pid ]] && kill -0 "$pg_pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pg_pid/cmdline" 2>/dev/null | grep -qF -- "-D $data_dir/postgres"
}

wait_gone() { # pid seconds: 0 once the pid is gone
  local i
  for ((i = 0; i < $2; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 1; done
  ! kill -0 "$1" 2>/dev/null
}

stop_service() {
  if [[ -n $svc_pid ]] && kill -0 "$svc_pid" 2>/dev/null; then
    log "stopping the service (pid $svc_pid)"
    # SIGTERM: Spring shuts down gracefully and stops its embedded PostgreSQL (pg_ctl stop).
    kill -TERM "$svc_pid" 2>/dev/null || true
    wait_gone "$svc_pid" 90 || { log "service still up after 90 s: SIGKILL"; kill -KILL "$svc_pid" 2>/dev/null || true; }
    wait "$svc_pid" 2>/dev/null || true
  fi
  svc_pid=""
  # The postmaster runs in a session of its own (pg_ctl starts it), so a JVM that died or was killed
  # leaves it running: stop it ourselves then, fast shutdown first, immediate if that hangs.
  if pg_alive; then
    log "embedded PostgreSQL (pid $pg_pid) outlived the service: fast shutdown"
    kill -INT "$pg_pid" 2>/dev/null || true
    wait_gone "$pg_pid" 30 || kill -QUIT "$pg_pid" 2>/dev/null || true
  fi
  pg_pid=""
}

# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local status=$?
  if [[ -n $lg_pid ]] && kill -0 "$lg_pid" 2>/dev/null; then
    kill -TERM "$lg_pid" 2>/dev/null || true   # timeout(1) passes it on to the load generator
    wait "$lg_pid" 2>/dev/null || true
  fi
  stop_service
  [[ -n $fifo ]] && rm -f -- "$fifo"
  if ((!keep_data)) && [[ -d $data_dir ]]; then rm -rf -- "$data_dir"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- sampling ----------------------------------------------------------------------------------------
# A sample must be quick, so that it belongs to its mark: the functions below read /proc with shell
# builtins only (no fork per process) and return through globals.
#
# TICKS: utime+stime (fields 14, 15 of /proc/PID/stat, clock ticks), with "children" also
# cutime+cstime (16, 17): what the process's children used, added once it has reaped them; "-" when
# the process is gone. Fields are counted after the ")" that ends the command name (it may hold spaces).
proc_ticks() { # pid [children]
  local stat f
  TICKS=-
  [[ $1 =~ ^[0-9]+$ ]] || return 0
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 0
  read -r -a f <<<"${stat##*) }"   # f[0] is field 3
  if [[ ${2:-} == children ]]; then
    TICKS=$((f[11] + f[12] + f[13] + f[14]))
  else
    TICKS=$((f[11] + f[12]))
  fi
}

# PG_TICKS: all of the embedded PostgreSQL: the postmaster with the children it reaped, so that
# backends which end during the measured time still count, plus its live children (backends,
# walwriter, checkpointer, ...). Only this data dir's server: the machine may run others (tests).
# A child's CPU moves into the postmaster's cutime when it is reaped, just before it leaves /proc,
# and at the end mark the load generator's connections all close at once: so the children are read
# first, then the postmaster, and a child whose /proc entry is gone by then is dropped (the
# postmaster's figure holds it). Between those reads there are builtins only, no fork.
pg_ticks() {
  local kids k total
  local -A seen=()
  mapfile -t kids < <(pgrep -P "$pg_pid" || true)
  for k in "${kids[@]}"; do
    proc_ticks "$k"
    [[ $TICKS == - ]] || seen[$k]=$TICKS
  done
  proc_ticks "$pg_pid" children
  total=$TICKS
  [[ $total == - ]] && { PG_TICKS=-; return 0; }
  for k in "${!seen[@]}"; do
    [[ -e /proc/$k ]] && total=$((total + seen[$k]))
  done
  PG_TICKS=$total
}

# MACHINE: busy and total ticks of the whole machine (/proc/stat, all CPUs), to see what else ran.
machine_ticks() {
  local user nice system idle iowait irq softirq steal rest
  read -r _ user nice system idle iowait irq softirq steal rest </proc/stat
  MACHINE="$((user + nice + system + irq + softirq + steal)) $((user + nice + system + irq + softirq + steal + idle + iowait))"
}

psql_ok=0
pg_counters() { # commits rows wal_bytes, or "- - -" without psql
  local r=""
  if ((psql_ok)); then
    r=$(PGCONNECT_TIMEOUT=5 timeout 10 psql -XAtq -F ' ' -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c \
      "SELECT sum(xact_commit), sum(tup_inserted + tup_updated + tup_deleted), pg_current_wal_lsn() - '0/0'::pg_lsn
       FROM pg_stat_database" 2>/dev/null) || r=""
  fi
  echo "${r:-- - -}"
}

# Per table of the ledger's database (schema public): name, rows inserted, updated, deleted, and the
# bytes of its indexes, one line each; nothing without psql. Taken right after a mark's sample.
pg_tables() {
  ((psql_ok)) || return 0
  PGCONNECT_TIMEOUT=5 timeout 10 psql -XAtq -F ' ' -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c \
    "SELECT s.relname, s.n_tup_ins, s.n_tup_upd, s.n_tup_del, coalesce(sum(pg_relation_size(i.indexrelid)), 0)
     FROM pg_stat_user_tables s LEFT JOIN pg_index i ON i.indrelid = s.relid
     WHERE s.schemaname = 'public' GROUP BY 1, 2, 3, 4 ORDER BY 1" 2>/dev/null || true
}

# One sample: time (s), load generator, service and PostgreSQL ticks, machine busy and total ticks,
# then commits, rows, WAL bytes. The load generator first: after its end mark it may exit soon; the
# counters last: psql takes tens of ms (PostgreSQL's statistics are flushed about once a second anyway).
sample() { # loadgen_pid
  local now=$EPOCHREALTIME lg svc
  proc_ticks "$1"; lg=$TICKS
  proc_ticks "$svc_pid"; svc=$TICKS
  pg_ticks
  machine_ticks
  echo "$now $svc $PG_TICKS $lg $MACHINE $(pg_counters)"
}

# Reads the load generator's stderr (a fifo) line by line and samples at its two marks (their text
# is LoadGenerator.drive's: "measured time starts", "measured time ends").
watch_marks() { # run_dir timeout_pid
  local line lg=""
  while IFS= read -r line; do
    case $line in
      "measured time starts"|"measured time ends")
        [[ -n $lg ]] || lg=$(pgrep -P "$2" | head -n1 || true)   # the java under timeout(1)
        sample "${lg:-none}" >"$1/${line##* }"                     # files "starts" and "ends"
        pg_tables >"$1/${line##* }.tables" ;;                        # and starts.tables, ends.tables
    esac
    printf '%s\n' "$line" >>"$1/stderr.log"
  done
}

# --- the service ---------------------------------------------------------------------------------------
free_port() { # [port to avoid]: a port nothing listens on, below the ephemeral range
  local used port i
  used=$(ss -Hltn 2>/dev/null | awk '{n = split($4, a, ":"); print a[n]}')
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + RANDOM % 12000))
    [[ $port != "${1:-}" ]] && ! grep -qx "$port" <<<"$used" && { echo "$port"; return; }
  done
  die "no free port found"
}

start_service() {
  http_port=$(free_port) grpc_port=$(free_port "$http_port")
  rm -rf -- "$data_dir" && mkdir -p "$data_dir"
  # the rates the settlement scenario converts at (the service reads <data dir>/fx-rates.csv)
  printf 'base,quote,bid,ask\nUSD,JPY,154.10,154.30\n' >"$data_dir/fx-rates.csv"
  log "starting the service: $api_jar (REST $http_port, gRPC $grpc_port, data $data_dir)"
  # Loopback only: REST (Spring's server.address), gRPC, and the embedded PostgreSQL (its own setting).
  # shellcheck disable=SC2086  # SERVICE_JAVA_OPTS is a list of options
  LEDGER_DATA_DIR=$data_dir LEDGER_BOOTSTRAP_TENANT=bench LEDGER_BOOTSTRAP_API_KEY=$operator_key \
    LEDGER_HTTP_PORT=$http_port SERVER_ADDRESS=127.0.0.1 LEDGER_GRPC_PORT=$grpc_port LEDGER_GRPC_ADDRESS=127.0.0.1 \
    "$java" ${SERVICE_JAVA_OPTS:-} -jar "$api_jar" >"$logs/service.log" 2>&1 9>&- &
  svc_pid=$!
  # The first start extracts PostgreSQL and runs initdb: about half a minute, more on a busy machine.
  local i
  for ((i = 0; i < 240; i++)); do
    kill -0 "$svc_pid" 2>/dev/null || die "the service exited while starting: see $logs/service.log"
    curl -sf -m 2 "http://127.0.0.1:$http_port/actuator/health" 2>/dev/null | grep -q '"UP"' && break
    sleep 1
  done
  ((i < 240)) || die "the service was not healthy after 240 s: see $logs/service.log"
  # The embedded PostgreSQL: its postmaster.pid holds the pid (line 1) and port (line 4).
  local pidfile=$data_dir/postgres/postmaster.pid
  [[ -f $pidfile ]] || die "no $pidfile: is the service on an external PostgreSQL (LEDGER_DB_URL)?"
  pg_pid=$(sed -n 1p "$pidfile") pg_port=$(sed -n 4p "$pidfile")
  pg_alive || die "postmaster $pg_pid of $pidfile is not running"
  log "service up after ${i}s (pid $svc_pid); embedded PostgreSQL pid $pg_pid on 127.0.0.1:$pg_port"
  if PGCONNECT_TIMEOUT=5 timeout 10 psql -XAtq -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres \
      -c 'SELECT 1' >/dev/null 2>"$logs/psql.err"; then
    psql_ok=1
  else
    log "psql cannot connect ($(head -c 200 "$logs/psql.err")): rows and commits per transfer skipped"
  fi
}

# --- one load generator run ----------------------------------------------------------------------------
# run NAME DURATION WARMUP OPTIONS...: the load generator with the sampler on its stderr, bounded in time.
run() {
  local name=$1 duration=$2 warmup=$3 dir=$logs/$1 rc=0 watcher limit target
  local opts=("${@:4}")
  mkdir -p "$dir"
  echo "${opts[*]}" >"$dir/options"
  if ! kill -0 "$svc_pid" 2>/dev/null; then
    log "$name: the service is down, not run"
    echo 125 >"$dir/rc"
    summarize "$name"
    return
  fi
  if [[ " ${opts[*]} " == *" --protocol sql "* ]]; then
    target=(--jdbc-url "jdbc:postgresql://127.0.0.1:$pg_port/postgres")
  else
    target=(--operator-key "$operator_key" --url "http://127.0.0.1:$http_port" --grpc-target "127.0.0.1:$grpc_port")
  fi
  local args=("${opts[@]}" --accounts "$accounts" --duration "$duration" --warmup "$warmup" --seed "$seed" "${target[@]}")
  # Opening 10,000 accounts, the load, and the books check (which waits up to 120 s for the read
  # models) fit well in warm-up + duration + 5 minutes; a run that takes longer is stopped.
  limit=$(($(secs "$duration") + $(secs "$warmup") + 300))
  log "$name: ${opts[*]} ($warmup + $duration)"
  fifo=$dir/stderr.fifo
  rm -f -- "$fifo" && mkfifo "$fifo"
  timeout -k 10 "$limit" "$java" -jar "$loadgen_jar" "${args[@]}" >"$dir/stdout.log" 2>"$fifo" 9>&- &
  lg_pid=$!
  watch_marks "$dir" "$lg_pid" <"$fifo" &
  watcher=$!
  wait "$lg_pid" || rc=$?
  lg_pid=""
  wait "$watcher" || true
  rm -f -- "$fifo"
  fifo=""
  echo "$rc" >"$dir/rc"
  # Other work on a shared machine may stop our service (e.g. a broad pkill of java): say so.
  if ! kill -0 "$svc_pid" 2>/dev/null; then
    log "$name: the service exited during this run: see $logs/service.log"
    touch "$dir/service-died"
  fi
  summarize "$name"
  log "$name: $(describe "$name")"
}

secs() { # 30s, 2m -> seconds
  case $1 in
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}

# --- results -------------------------------------------------------------------------------------------
declare -A R   # R[run.key]

# Parses a run's output and samples into R[run.*].
summarize() {
  local n=$1 dir=$logs/$1 o a b
  o=$dir/stdout.log
  touch "$o"
  R[$n.rc]=$(cat "$dir/rc")
  # transfers/s 849 (acknowledged 25470 in the measured 30s; 34000 in all)
  R[$n.tps]=$(sed -n 's/^transfers\/s \([0-9.]*\) (acknowledged \([0-9]*\) in the measured.*/\1/p' "$o")
  R[$n.acked]=$(sed -n 's/^transfers\/s [0-9.]* (acknowledged \([0-9]*\) in the measured.*/\1/p' "$o")
  # answered/s 9800 (answered 294000 in the measured 30s, acknowledged or refused): a floor run
  # (scenarios 7 and 8) acknowledges nothing, so its rate and per-call costs count answered calls
  if [[ ${R[$n.acked]} == 0 ]] && grep -q '^answered/s ' "$o"; then
    R[$n.tps]=$(sed -n 's/^answered\/s \([0-9.]*\) (answered.*/\1/p' "$o")
    R[$n.acked]=$(sed -n 's/^answered\/s [0-9.]* (answered \([0-9]*\) in the measured.*/\1/p' "$o")
  fi
  # settlements/s 41.2 (completed 1236 in the measured time; 1600 in all): per settlement, not transfer
  if grep -q '^settlements/s ' "$o"; then
    R[$n.tps]=$(sed -n 's/^settlements\/s \([0-9.]*\) (completed.*/\1/p' "$o")
    R[$n.acked]=$(sed -n 's/^settlements\/s [0-9.]* (completed \([0-9]*\) in the measured.*/\1/p' "$o")
  fi
  # latency ms per call[ of 1000 transfers]: p50 7.20  p99 54.00  p99.9 80.00  max 120.00
  R[$n.p50]=$(sed -n 's/^latency ms \(per call\|from request\).*: p50 \([0-9.]*\) .*/\2/p' "$o")
  R[$n.p99]=$(sed -n 's/^latency ms \(per call\|from request\).* p99 \([0-9.]*\) .*p99\.9.*/\2/p' "$o")
  # balance read model lag ms p50 120.0  p99 540.0  (120 probes)   (service runs only)
  R[$n.lag]=$(sed -n 's/^balance read model lag ms p50 [0-9.]*  p99 \([0-9.]*\) .*/\1/p' "$o")
  R[$n.lag50]=$(sed -n 's/^balance read model lag ms p50 \([0-9.]*\) .*/\1/p' "$o")
  R[$n.refusals]=$(sed -n 's/^refusals //p' "$o")
  # No call fell wholly inside the measured time (e.g. 1,000-transfer calls in a 5 s run): no latency.
  if [[ ${R[$n.acked]} == 0 ]]; then R[$n.p50]="" R[$n.p99]=""; fi
  # books EUR: ... -> ok | MISMATCH, one line per currency; the exit status says it too
  local books
  books=$(grep -c '^books .* -> ok$' "$o" || true)
  if [[ ${R[$n.rc]} == 0 && $books -gt 0 ]]; then
    R[$n.books]=ok
  elif grep -q '^books .* -> MISMATCH$' "$o"; then
    R[$n.books]="MISMATCH"
  elif [[ ${R[$n.rc]} == 125 ]]; then
    R[$n.books]="not run (service down)"
  elif [[ ${R[$n.rc]} == 124 || ${R[$n.rc]} == 137 ]]; then
    R[$n.books]="timed out"
  else
    R[$n.books]="failed (exit ${R[$n.rc]})"
  fi
  [[ -f $dir/service-died ]] && R[$n.books]+=", service died"
  if [[ $n == *peer && -z ${R[pg_version]:-} ]]; then
    R[pg_version]=$(sed -n 's/^run .*(\(PostgreSQL [^)]*\)).*/\1/p' "$o")
  fi
  # CPU and counters over the measured time, per transfer acknowledged in it.
  if [[ -f $dir/starts && -f $dir/ends && -n ${R[$n.acked]} && ${R[$n.acked]} -gt 0 ]]; then
    read -r -a a <"$dir/starts"
    read -r -a b <"$dir/ends"
    local x=${R[$n.acked]}
    R[$n.secs]=$(awk -v a="${a[0]}" -v b="${b[0]}" 'BEGIN { printf "%.1f", b - a }')
    R[$n.svc_cpu]=$(per "$(delta "${a[1]}" "${b[1]}")" "$x" "$ms_per_tick" 2)
    R[$n.pg_cpu]=$(per "$(delta "${a[2]}" "${b[2]}")" "$x" "$ms_per_tick" 2)
    R[$n.lg_cpu]=$(per "$(delta "${a[3]}" "${b[3]}")" "$x" "$ms_per_tick" 2)
    local busy=$((b[4] - a[4])) total=$((b[5] - a[5])) ours=0 d
    R[$n.busy]=$(per "$busy" "$total" 100 0)
    for d in 1 2 3; do
      [[ ${a[d]} == - || ${b[d]} == - ]] && { ours=-; break; }
      ours=$((ours + b[d] - a[d]))
    done
    [[ $ours == - ]] || R[$n.others]=$(per $((busy - ours)) "$total" 100 0)
    R[$n.commits]=$(per "$(delta "${a[6]}" "${b[6]}")" "$x" 1 3)
    R[$n.rows]=$(per "$(delta "${a[7]}" "${b[7]}")" "$x" 1 1)
    R[$n.wal]=$(per "$(delta "${a[8]}" "${b[8]}")" "$x" 1 0)
  fi
}

# a * f / b with d decimals; nothing when a is missing ("-") or b is 0
per() { awk -v a="$1" -v b="$2" -v f="$3" -v d="$4" 'BEGIN { if (a != "-" && a != "" && b > 0) printf "%.*f", d, a * f / b }'; }
delta() { if [[ $1 == - || $2 == - ]]; then echo -; else echo $(($2 - $1)); fi; }
v() { local x=${R[$1]:-}; echo "${x:-–}"; }   # a value, or a dash when missing

ms() { # latency in ms, shown in s from one second on
  [[ -z $1 ]] && { echo "–"; return; }
  awk -v x="$1" 'BEGIN { if (x >= 1000) printf "%.2f s", x / 1000; else printf "%.1f ms", x }'
}

describe() {
  local n=$1
  echo "$(v "$n.tps")/s p99 $(ms "${R[$n.p99]:-}"), CPU ms/transfer service $(v "$n.svc_cpu") PG $(v "$n.pg_cpu"), books $(v "$n.books")"
}

# Per table of the ledger (schema public), for each service run: rows inserted, updated and deleted and
# index bytes grown over the measured time, per transfer acknowledged in it (tables that did not change
# are left out). Index bytes grow by whole 8 KB pages, so short runs show them coarsely.
per_table() {
  local n dir x
  for n in "${runs[@]}"; do
    dir=$logs/$n
    [[ $n == *-service && -s $dir/starts.tables && -s $dir/ends.tables && -n ${R[$n.acked]:-} && ${R[$n.acked]} -gt 0 ]] || continue
    x=${R[$n.acked]}
    echo "Per table, $n (per transfer acknowledged in the measured time):"
    echo
    echo "| table | inserted | updated | deleted | index bytes |"
    echo "|---|---|---|---|---|"
    awk -v x="$x" '
      FNR == NR { i[$1] = $2; u[$1] = $3; d[$1] = $4; b[$1] = $5; next }
      ($1 in i) {
        di = $2 - i[$1]; du = $3 - u[$1]; dd = $4 - d[$1]; db = $5 - b[$1]
        if (di || du || dd || db) printf "| %s | %.2f | %.2f | %.2f | %.0f |\n", $1, di / x, du / x, dd / x, db / x
        ti += di; tu += du; td += dd; tb += db
      }
      END { printf "| all | %.2f | %.2f | %.2f | %.0f |\n", ti / x, tu / x, td / x, tb / x }' \
      "$dir/starts.tables" "$dir/ends.tables"
    echo
  done
}

report() {
  local line id title peer s p ratio
  echo "# Ledger service vs. SQL peer: ops/bench.sh"
  echo
  echo "- when: $(date -u +'%Y-%m-%d %H:%M UTC'); host $(hostname), $(nproc) cores, load average at start $load_start"
  [[ -n $label ]] && echo "- code: $label"
  echo "- service jar: $api_jar ($(date -u -r "$api_jar" +'%Y-%m-%d %H:%M UTC'))"
  echo "- load generator jar: $loadgen_jar ($(date -u -r "$loadgen_jar" +'%Y-%m-%d %H:%M UTC'))"
  echo "- embedded $(v pg_version); $accounts accounts, seed $seed; each run $duration measured after $warmup warm-up," \
    "after a $service_warmup warm-up run of the service$( ((quick)) && echo ' (--quick: a smoke check, not figures)')"
  ((psql_ok)) || echo "- psql could not connect: rows and commits per transfer not measured"
  echo
  echo "| scenario | service /s (p99) | peer /s (p99) | ratio | service CPU ms/transfer | PG CPU ms/transfer (service run) | PG CPU ms/transfer (peer run) | rows/transfer (service / peer) | commits/transfer (service / peer) | lag p99 | books (service / peer) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for line in "${scenarios[@]}"; do
    IFS='|' read -r id title _ peer _ <<<"$line"
    s=s$id-service
    p=s$id-peer
    [[ $peer == =* ]] && p=s${peer#=}-peer
    [[ $peer == "~"* ]] && p=s${peer#\~}-service
    ratio=$(awk -v a="${R[$s.tps]:-}" -v b="${R[$p.tps]:-}" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else printf "–" }')
    echo "| $id. $title | $(v "$s.tps") ($(ms "${R[$s.p99]:-}")) | $(v "$p.tps") ($(ms "${R[$p.p99]:-}")) | $ratio" \
      "| $(v "$s.svc_cpu") | $(v "$s.pg_cpu") | $(v "$p.pg_cpu") | $(v "$s.rows") / $(v "$p.rows")" \
      "| $(v "$s.commits") / $(v "$p.commits") | $(ms "${R[$s.lag]:-}") | $(v "$s.books") / $(v "$p.books") |"
  done
  echo
  echo "Every run (CPU and counters over the measured time only, per transfer acknowledged in it):"
  echo
  echo "| run | options | transfers/s | measured transfers | p50 / p99 per call | lag p50 / p99 | refusals | CPU ms/transfer: service / PG / load generator | WAL bytes/transfer | measured s | machine busy % (others' %) | books | exit |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for n in "${runs[@]}"; do
    echo "| $n | \`$(cat "$logs/$n/options")\` | $(v "$n.tps") | $(v "$n.acked")" \
      "| $(ms "${R[$n.p50]:-}") / $(ms "${R[$n.p99]:-}") | $(ms "${R[$n.lag50]:-}") / $(ms "${R[$n.lag]:-}") | $(v "$n.refusals")" \
      "| $(v "$n.svc_cpu") / $(v "$n.pg_cpu") / $(v "$n.lg_cpu") | $(v "$n.wal") | $(v "$n.secs") | $(v "$n.busy") ($(v "$n.others"))" \
      "| $(v "$n.books") | $(v "$n.rc") |"
  done
  echo
  per_table
  cat <<EOF
Ratio: service transfers/s over peer transfers/s (scenario 5's peer is scenario 1's peer run).
Scenarios 7 and 8 are floors, not targets: every transfer has amount -1.00, which the service refuses
(422 / amount_invalid) before it reaches its database, so their rate is calls answered per second and
their costs are per call: what the transport and the load generator's client cost with no ledger work
at all. To match the peer, all that one transfer costs on this machine (load generator, service and
PostgreSQL together, CPU ms) must stay under 1000 x $(nproc) cores / the peer's transfers/s.
Scenario 6 counts settlements, not transfers (each is four postings), after a warm-up of its own
(40 s; the other runs' warm-up posts transfers only): its ratio is its settlements/s
over scenario 1's service transfers/s, its p99 the time from request to COMPLETED, its per-transfer
costs per settlement, and its "peer" column the service run it is compared with.
Service CPU is the service JVM's; PG CPU is every process of the embedded PostgreSQL (the postmaster
with the backends it reaped, and its live children); both are /proc utime+stime between the load
generator's "measured time starts" and "measured time ends" marks, divided by the transfers it
acknowledged in the measured time. It counts only calls wholly inside that time: with batches of
1,000 the calls that straddle a mark are left out (so a count is a multiple of 1,000, a bit low,
and per-transfer costs a bit high; in a 5 s run possibly 0). Rows are pg_stat_database's tuples
inserted + updated + deleted, commits its xact_commit, WAL the LSN advance; all databases, so in
service runs the read-model processors and audit log count (they trail the commands by the lag, so
a short run may include earlier work or leave some out), and PostgreSQL flushes these statistics
about once a second. Lag is the balance read model's lag of the load generator's probe transfers
(one every 250 ms, not counted as transfers). "others' %" is the machine's CPU used by neither the
service, PostgreSQL nor the load generator (100 % = all $(nproc) cores): where it is high, the run
shared the machine with other work. Logs of every run: $logs.
EOF
}

# --- the session -------------------------------------------------------------------------------------
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
start_service
runs=()
run warmup "$service_warmup" 0s --protocol grpc --clients 8
runs+=(warmup)
for line in "${scenarios[@]}"; do
  IFS='|' read -r id title svc_opts peer_opts svc_warmup <<<"$line"
  if ((quick)); then svc_warmup=""; fi
  # shellcheck disable=SC2086  # the options are word lists
  run "s$id-service" "$duration" "${svc_warmup:-$warmup}" $svc_opts
  runs+=("s$id-service")
  if [[ $peer_opts != =* && $peer_opts != "~"* ]]; then
    # shellcheck disable=SC2086
    run "s$id-peer" "$duration" "$warmup" $peer_opts
    runs+=("s$id-peer")
  fi
done
stop_service

mkdir -p "$(dirname "$out")"
report | tee "$out"
log "report written to $out"
status=0
for n in "${runs[@]}"; do [[ ${R[$n.books]:-} == ok ]] || status=1; done
exit "$status"
