# shellcheck shell=bash disable=SC2034  # variables are used by the scripts that source this
# Shared by the scripts in this folder (sourced, not run).
# Servers: kafka (Kafka 4.4 KRaft, jars from Maven Central), mongo (FerretDB 1.24 on SQLite,
# built from the Go module proxy), redis (Debian's redis-server).

INFRA_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$INFRA_SCRIPTS/../.." && pwd)
INFRA_DIR=${LEDGERLINE_INFRA_DIR:-$REPO_ROOT/.infra}

KAFKA_PORT=${KAFKA_PORT:-29092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-29093}
MONGO_PORT=${MONGO_PORT:-27027}
REDIS_PORT=${REDIS_PORT:-6391}

FERRETDB_VERSION=v1.24.2
# No PostgreSQL backend needed: we only use the embedded SQLite one.
FERRETDB_TAGS=ferretdb_no_postgresql
# Bumped when install.sh's source patch changes, so installed binaries are rebuilt.
FERRETDB_PATCH=id-lookups-2+untracked
# Fixed so that the cluster id never changes, even if the data dir is recreated:
# base64url of the 16 bytes "ledgerline-local".
KAFKA_CLUSTER_ID=bGVkZ2VybGluZS1sb2NhbA

BIN=$INFRA_DIR/bin
RUN=$INFRA_DIR/run
LOGS=$INFRA_DIR/logs
DATA=$INFRA_DIR/data
CONF=$INFRA_DIR/conf
KAFKA_LIBS=$INFRA_DIR/kafka/libs

ALL_SERVERS=(kafka mongo redis)

log() { echo "[infra] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

check_name() {
  case $1 in kafka | mongo | redis) ;; *) die "unknown server '$1' (expected kafka, mongo or redis)" ;; esac
}

port_of() {
  case $1 in kafka) echo "$KAFKA_PORT" ;; mongo) echo "$MONGO_PORT" ;; redis) echo "$REDIS_PORT" ;; esac
}

# Serialises up/start/stop across concurrent callers (e.g. two test runs).
# Servers are launched with fd 9 closed so they never hold this lock.
take_run_lock() {
  mkdir -p "$INFRA_DIR"
  exec 9>"$INFRA_DIR/.run.lock"
  flock 9
}

port_open() { timeout 2 bash -c ">/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# A protocol-level check, not just an open port.
is_ready() {
  case $1 in
    kafka) timeout 5 node "$INFRA_SCRIPTS/ping-kafka.mjs" "$KAFKA_PORT" >/dev/null 2>&1 ;;
    mongo) timeout 5 node "$INFRA_SCRIPTS/ping-mongo.mjs" "$MONGO_PORT" >/dev/null 2>&1 ;;
    redis) [[ $(timeout 2 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]] ;;
  esac
}

# Prints the pid only if the pid file points at a live process that these scripts launched
# (guards against stale pid files whose pid was reused by something else).
own_pid() {
  local pidfile=$RUN/$1.pid pid marker
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  case $1 in
    kafka) marker=$CONF/kafka.properties ;;
    mongo) marker=$BIN/ferretdb ;;
    redis) marker=redis-server ;; # redis rewrites its process title, so match the program only
  esac
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
  echo "$pid"
}

# Runs "$@" detached in its own session, logging to $2, pid in $RUN/$1.pid.
spawn() {
  local name=$1 logfile=$2
  shift 2
  rm -f "$RUN/$name.pid"
  # shellcheck disable=SC2016  # $$ and $@ belong to the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN/$name.pid" "$@" \
    </dev/null >>"$logfile" 2>&1 9>&- &
}

launch_kafka() {
  mkdir -p "$DATA/kafka" "$CONF" "$LOGS" "$RUN"
  cat >"$CONF/kafka.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA/kafka
num.network.threads=2
num.io.threads=4
num.partitions=4
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
offsets.topic.num.partitions=4
offsets.topic.replication.factor=1
transaction.state.log.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# After a SIGKILL the restarted broker waits for its old session to expire (default 9 s).
broker.session.timeout.ms=5000
broker.heartbeat.interval.ms=1000
EOF
  local java=java
  [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]] && java=$JAVA_HOME/bin/java
  # LEDGERLINE_KAFKA_JVM_EXTRA: more JVM flags, split on spaces, to measure a setting (e.g. the JIT,
  # docs/benchmarks.md "Kafka's heap and compiler"); none by default
  # shellcheck disable=SC2206
  local jvm=(-Xmx512m -Xms256m ${LEDGERLINE_KAFKA_JVM_EXTRA:-} -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$INFRA_SCRIPTS/kafka/log4j2.properties" -Dkafka.logs.dir="$LOGS"
    -cp "$KAFKA_LIBS/*")
  # Format only once: a restart must keep the data (meta.properties holds the cluster id).
  if [[ ! -f $DATA/kafka/meta.properties ]]; then
    log "kafka: formatting storage (cluster id $KAFKA_CLUSTER_ID)"
    "$java" "${jvm[@]}" kafka.tools.StorageTool format --ignore-formatted \
      -t "$KAFKA_CLUSTER_ID" -c "$CONF/kafka.properties" >>"$LOGS/kafka.out" 2>&1 ||
      { tail -n 20 "$LOGS/kafka.out" >&2; die "kafka: storage format failed"; }
  fi
  spawn kafka "$LOGS/kafka.out" "$java" "${jvm[@]}" kafka.Kafka "$CONF/kafka.properties"
}

launch_mongo() {
  mkdir -p "$DATA/mongo" "$DATA/mongo-state" "$LOGS" "$RUN"
  # --debug-addr=- turns off FerretDB's HTTP debug listener (it would take port 8088).
  # SQLite in WAL mode with synchronous=NORMAL (LEDGERLINE_SQLITE_SYNC, default normal): a commit
  # no longer waits for an fsync; the WAL is synced at checkpoints. A process crash loses nothing
  # (the WAL is in the OS's cache); a power loss of this machine can lose the last commits, never
  # the database's consistency. This is the local and test store (production runs MongoDB, whose
  # journal is not affected); measured in docs/benchmarks.md (Issue 19, store durability).
  local sync=${LEDGERLINE_SQLITE_SYNC:-normal}
  # GOGC=400 (LEDGERLINE_FERRETDB_GOGC; Go's default is 100): FerretDB allocates for every command
  # (JSON decoding of each stored document, SQL text), and at Go's default its collector took about
  # an eighth of its CPU. At 400: 15 % less FerretDB CPU per payment for about 20 MiB more resident
  # memory; 1000 gained nothing more (docs/benchmarks.md, Issue 19, ninth pass).
  local gogc=${LEDGERLINE_FERRETDB_GOGC:-400}
  GOGC=$gogc spawn mongo "$LOGS/mongo.log" "$BIN/ferretdb" \
    --listen-addr="127.0.0.1:$MONGO_PORT" --handler=sqlite \
    --sqlite-url="file:$DATA/mongo/?_pragma=synchronous($sync)" \
    --state-dir="$DATA/mongo-state" --telemetry=disable --log-level=warn --debug-addr=-
}

launch_redis() {
  mkdir -p "$DATA/redis" "$LOGS" "$RUN"
  rm -f "$RUN/redis.pid"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
    --pidfile "$RUN/redis.pid" --dir "$DATA/redis" --save '' --appendonly no \
    --logfile "$LOGS/redis.log" 9>&- ||
    die "redis: redis-server failed to start (see $LOGS/redis.log)"
}

log_tail() {
  local f
  for f in "$LOGS/$1.out" "$LOGS/$1.log"; do
    [[ -s $f ]] && { echo "----- tail of $f" >&2; tail -n 30 "$f" >&2; }
  done
  return 0
}

timeout_of() {
  case $1 in kafka) echo 60 ;; mongo) echo 30 ;; redis) echo 15 ;; esac
}

# Waits until $1 answers its protocol; if it was launched by us and dies or times out, stops it
# and fails with the end of its log.
wait_ready() {
  local name=$1 started=${2:-no} deadline=$((SECONDS + $(timeout_of "$1")))
  local pid_deadline=$((SECONDS + 5))
  until is_ready "$name"; do
    if [[ $started == yes ]] && ! own_pid "$name" >/dev/null && ((SECONDS > pid_deadline)); then
      log_tail "$name"
      die "$name: process exited before becoming ready"
    fi
    if ((SECONDS >= deadline)); then
      if [[ $started == yes ]]; then
        log_tail "$name"
        stop_server "$name"
      fi
      die "$name: not ready on 127.0.0.1:$(port_of "$name") after $(timeout_of "$name")s" \
        "$([[ $started == yes ]] || echo "(the port is held by a process these scripts did not start)")"
    fi
    sleep 0.5
  done
}

# Starts $1 unless it already answers (or is being started by someone else).
# Sets LAUNCHED=yes when this call launched it; call wait_ready afterwards.
begin_start() {
  local name=$1 port
  port=$(port_of "$name")
  LAUNCHED=no
  if is_ready "$name"; then
    log "$name: already running on 127.0.0.1:$port, reusing it"
  elif own_pid "$name" >/dev/null || port_open "$port"; then
    log "$name: port $port is taken by a server that is not ready yet, waiting for it"
  else
    log "$name: starting on 127.0.0.1:$port"
    "launch_$name"
    LAUNCHED=yes
  fi
}

stop_server() {
  local name=$1 pid i
  if ! pid=$(own_pid "$name"); then
    rm -f "$RUN/$name.pid"
    if port_open "$(port_of "$name")"; then
      log "$name: not started by these scripts, leaving it alone"
    else
      log "$name: not running"
    fi
    return 0
  fi
  log "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do
    own_pid "$name" >/dev/null || break
    sleep 0.5
  done
  if own_pid "$name" >/dev/null; then
    log "$name: still running after 20s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$RUN/$name.pid"
}

exports() {
  echo "export KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
  echo "export MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT"
  echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
}
