#!/usr/bin/env bash
# Installs Kafka, FerretDB and Redis into the cache ($LEDGERLINE_INFRA_DIR, default <repo>/.infra).
# Usage: install.sh [kafka|mongo|redis|chromium ...]   (default: all). Cheap when already installed.
# chromium is not a server: the browser tests (test/browser) drive Debian's /usr/bin/chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Keeps the tools' chatter in a log; shows its end only on failure.
quietly() {
  mkdir -p "$LOGS"
  echo "+ $*" >>"$LOGS/install.log"
  "$@" >>"$LOGS/install.log" 2>&1 && return 0
  tail -n 30 "$LOGS/install.log" >&2
  die "failed: $1 ... (full output in $LOGS/install.log)"
}

install_kafka() {
  local stamp want
  want="kafka $(sha256sum <"$INFRA_SCRIPTS/kafka/pom.xml" | cut -d' ' -f1)"
  stamp=$KAFKA_LIBS/.stamp
  [[ -f $stamp && $(<"$stamp") == "$want" ]] && return 0
  command -v mvn >/dev/null || die "kafka: mvn (Maven) is required"
  log "kafka: downloading jars from Maven Central into $KAFKA_LIBS"
  # Copy into a fresh dir and swap, so an interrupted run never leaves a half-filled libs dir.
  rm -rf "$KAFKA_LIBS.tmp"
  local t0=$SECONDS
  quietly mvn -B -Dstyle.color=never -f "$INFRA_SCRIPTS/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS.tmp"
  echo "$want" >"$KAFKA_LIBS.tmp/.stamp"
  rm -rf "$KAFKA_LIBS"
  mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
  local jars=("$KAFKA_LIBS"/*.jar)
  log "kafka: ${#jars[@]} jars installed in $((SECONDS - t0))s"
}

# FerretDB 1.24's SQLite backend narrows a query by `_id` only when the filter is exactly
# `{_id: <string|ObjectId>}`; any other filter reads the whole collection. Our stores always add
# the tenant (`{_id, tenant_id}`, `{_id, tenant_id, version}`), so every lookup and conditional
# update by id was a collection scan (measured: 18.7 ms vs 1.35 ms at 6,000 documents). The patch
# narrows by `_id` whenever the filter has a top-level string/ObjectId `_id`; the handler still
# applies the whole filter to what the backend returns (every command runs it through
# common.FilterIterator), so results are unchanged. Explain keeps reporting the stock behaviour.
patch_id_lookups() {
  local file=$1/internal/backends/sqlite/collection.go
  grep -q 'if params.Filter.Len() == 1 {' "$file" || die "mongo: FerretDB source changed; cannot apply the _id lookup patch"
  sed -i '0,/if params.Filter.Len() == 1 {/s//if params.Filter.Len() >= 1 { \/\/ ledgerline: narrow by _id/' "$file"
  grep -q 'ledgerline: narrow by _id' "$file" || die "mongo: the _id lookup patch did not apply"
}

# FerretDB's SQLite backend creates each collection's unique `_id` index on the expression
# `_ferretdb_sjson->"_id"` but writes its by-id WHERE clauses with `metadata.IDColumn`,
# `_ferretdb_sjson->'$._id'`. SQLite matches an index to an expression by its text, so every find,
# update and delete by `_id` scanned the whole table: measured 2.1 ms per updateOne at 100
# documents, 19 ms at 5,000, 63 ms at 20,000 (docs/benchmarks.md, store by id). Both paths name the
# same JSON member; writing IDColumn as the index does lets SQLite SEARCH the index. The expression
# the build uses is recorded beside the binary (ferretdb.id-column) for the query-plan test
# (test/infra/ferretdb-plan.test.ts), which fails if SQLite plans a SCAN for it.
patch_id_column() {
  local file=$1/internal/backends/sqlite/metadata/metadata.go
  grep -q "IDColumn = DefaultColumn + \"->'\$._id'\"" "$file" || die "mongo: FerretDB source changed; cannot apply the IDColumn patch"
  sed -i "s/IDColumn = DefaultColumn + \"->'\$._id'\"/IDColumn = DefaultColumn + \"->'_id'\" \/\/ ledgerline: as the _id index/" "$file"
  grep -q 'ledgerline: as the _id index' "$file" || die "mongo: the IDColumn patch did not apply"
}

# FerretDB tracks the lifetime of every iterator, transaction and cursor for its own leak checks
# (internal/util/resource): each Track adds the object to a pprof profile, which captures the
# caller's stack, and sets a finalizer that panics if the object is collected unclosed. Profiled
# at 100 payments/s that was 7 % of FerretDB's CPU (docs/benchmarks.md, Issue 19, eleventh
# pass). The patch keeps it only in FerretDB's debug builds (`debugbuild.Enabled`), as its stack
# capture already is; release builds then neither track nor panic.
patch_resource_tracking() {
  local file=$1/internal/util/resource/resource.go
  grep -q '^func Track(obj any, token \*Token) {$' "$file" &&
    grep -q '^func Untrack(obj any, token \*Token) {$' "$file" ||
    die "mongo: FerretDB source changed; cannot apply the resource tracking patch"
  sed -i -e 's/^func Track(obj any, token \*Token) {$/&\n\tif !debugbuild.Enabled { \/\/ ledgerline: release builds do not track\n\t\treturn\n\t}/' \
    -e 's/^func Untrack(obj any, token \*Token) {$/&\n\tif !debugbuild.Enabled { \/\/ ledgerline: release builds do not track\n\t\treturn\n\t}/' "$file"
  [[ $(grep -c 'ledgerline: release builds do not track' "$file") == 2 ]] ||
    die "mongo: the resource tracking patch did not apply"
}

install_mongo() {
  local stamp want dir src
  want="ferretdb $FERRETDB_VERSION tags=$FERRETDB_TAGS patch=$FERRETDB_PATCH"
  stamp=$BIN/ferretdb.stamp
  [[ -x $BIN/ferretdb && -f $stamp && $(<"$stamp") == "$want" ]] && return 0
  command -v go >/dev/null || die "mongo: go is required to build FerretDB"
  local t0=$SECONDS
  log "mongo: building FerretDB $FERRETDB_VERSION (SQLite backend) from the Go module proxy"
  # From / with GOWORK=off so that no go.mod/go.work of the caller gets in the way.
  dir=$(cd / && GOWORK=off go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || die "mongo: go mod download failed"
  [[ -n $dir && -d $dir ]] || die "mongo: go mod download gave no source dir"
  # The module cache is read-only and lacks the generated build/version/version.txt, without
  # which the binary panics at start; build from a writable copy instead.
  src=$INFRA_DIR/build/ferretdb
  rm -rf "$src"
  mkdir -p "$(dirname "$src")" "$BIN"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  patch_id_lookups "$src"
  patch_id_column "$src"
  patch_resource_tracking "$src"
  # Pure-Go SQLite (modernc.org/sqlite): no C compiler needed.
  quietly env GOWORK=off CGO_ENABLED=0 GOFLAGS= go -C "$src" build -buildvcs=false -trimpath \
    -tags="$FERRETDB_TAGS" -ldflags='-s -w' -o "$BIN/ferretdb.tmp" ./cmd/ferretdb
  mv "$BIN/ferretdb.tmp" "$BIN/ferretdb"
  echo "_ferretdb_sjson->'_id'" >"$BIN/ferretdb.id-column"
  rm -rf "$INFRA_DIR/build"
  echo "$want" >"$stamp"
  log "mongo: built FerretDB $("$BIN/ferretdb" --version | sed -n 's/^version: //p') in $((SECONDS - t0))s"
}

install_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  local t0=$SECONDS
  log "redis: installing Debian's redis-server"
  export DEBIAN_FRONTEND=noninteractive
  # Only refresh the package lists when the install fails with the current ones.
  if ! "${sudo[@]}" apt-get install -y -q redis-server >>"$LOGS/install.log" 2>&1; then
    log "redis: refreshing the package lists (apt-get update)"
    quietly "${sudo[@]}" apt-get update -q
    quietly "${sudo[@]}" apt-get install -y -q redis-server
  fi
  command -v redis-cli >/dev/null || die "redis: redis-cli missing after install"
  log "redis: installed $(redis-server --version | grep -o 'v=[^ ]*') in $((SECONDS - t0))s"
}

# Debian's chromium for the dashboard's browser tests; apt-get only when it is missing.
install_chromium() {
  [[ -x /usr/bin/chromium ]] && return 0
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  local t0=$SECONDS
  log "chromium: installing Debian's chromium (browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  quietly "${sudo[@]}" apt-get update -q
  quietly "${sudo[@]}" apt-get install -y -q chromium
  [[ -x /usr/bin/chromium ]] || die "chromium: /usr/bin/chromium missing after install"
  log "chromium: installed in $((SECONDS - t0))s"
}

names=("$@")
((${#names[@]})) || names=("${ALL_SERVERS[@]}" chromium)
for n in "${names[@]}"; do [[ $n == chromium ]] || check_name "$n"; done

command -v node >/dev/null || die "node is required (readiness probes are small Node scripts)"
mkdir -p "$INFRA_DIR" "$LOGS"
# One installer at a time; a second caller waits and then finds everything cached.
exec 8>"$INFRA_DIR/.install.lock"
flock 8
for n in "${names[@]}"; do "install_$n"; done
