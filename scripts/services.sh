#!/usr/bin/env bash
# Installs (once, cached) and runs the real services the tests and the demo use, on 127.0.0.1:
#   - Elasticsearch: the official integ-test-zip distribution from Maven Central, run with the
#     machine's JDK under a dedicated non-root user (Elasticsearch refuses root), security off.
#   - An S3 API server: moto_server from PyPI, in a private virtualenv.
# Usage: scripts/services.sh start|stop|status|install. `start` prints ES_URL=… and
# CTINDEX_S3_ENDPOINT=… lines and writes them to .services/env, which the test harness reads.
# Versions are pinned once, in package.json "config"; ports: CTINDEX_ES_PORT, CTINDEX_S3_PORT.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.services"
es_version=$(node -p 'require(process.argv[1]).config.elasticsearchVersion' "$root/package.json")
moto_version=$(node -p 'require(process.argv[1]).config.motoVersion' "$root/package.json")
es_port=${CTINDEX_ES_PORT:-9200}
s3_port=${CTINDEX_S3_PORT:-5000}
es_user=ctindex-es
# As root, Elasticsearch runs as $es_user from a directory that user owns outside the checkout:
# the checkout may sit below a directory it cannot enter (/root is 0700). One per checkout.
if [ "$(id -u)" = 0 ]; then
  es_base="/var/tmp/ctindex-services/$(printf '%s' "$root" | md5sum | cut -c1-12)"
else
  es_base="$state"
fi
es_home="$es_base/elasticsearch-$es_version"
venv="$state/moto-venv"

say() { printf '%s\n' "$*" >&2; }
die() { say "services: $*"; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2)"; }
up() { curl -fsS -m 2 "$1" >/dev/null 2>&1; }

install_es() {
  [ -x "$es_home/bin/elasticsearch" ] && return 0
  need java "a JDK 17+ runs Elasticsearch 8"
  need mvn "it fetches Elasticsearch from Maven Central"
  need unzip "it unpacks the Elasticsearch zip"
  mkdir -p "$state/download" "$es_base"
  local zip="$state/download/elasticsearch-$es_version.zip"
  if [ ! -s "$zip" ]; then
    say "Fetching Elasticsearch $es_version from Maven Central…"
    mvn -q dependency:copy \
      -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$es_version:zip" \
      -DoutputDirectory="$state/download" >&2
  fi
  rm -rf "$es_home.tmp" && mkdir -p "$es_home.tmp"
  unzip -q "$zip" -d "$es_home.tmp"
  mv "$es_home.tmp/elasticsearch-$es_version" "$es_home" && rmdir "$es_home.tmp"
}

install_moto() {
  [ -x "$venv/bin/moto_server" ] && return 0
  need python3 "moto_server is a Python package"
  say "Installing moto[server] $moto_version from PyPI…"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "moto[server]==$moto_version" >&2
}

# Runs a command as the Elasticsearch user (as root) or as ourselves.
es_run() {
  if [ "$(id -u)" = 0 ]; then
    id "$es_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$es_user"
    chown -R "$es_user" "$es_base"
    su -s /bin/bash "$es_user" -c "$1"
  else
    bash -c "$1"
  fi
}

start_es() {
  local url="http://127.0.0.1:$es_port"
  if up "$url/_cluster/health"; then say "Elasticsearch already answers on $url"; return 0; fi
  install_es
  mkdir -p "$es_base/data" "$es_base/logs" "$es_base/run"
  # Rewritten on every start so a changed port takes effect.
  cat > "$es_home/config/elasticsearch.yml" <<YML
cluster.name: ctindex-test
node.name: ctindex-test
path.data: $es_base/data
path.logs: $es_base/logs
network.host: 127.0.0.1
http.port: $es_port
transport.port: $((es_port + 100))
discovery.type: single-node
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
# Tests create a namespace (a few data streams) each, and this distribution has no _data_stream API
# to delete them, so a long-lived dev cluster accumulates shards.
cluster.max_shards_per_node: 20000
YML
  local java_home
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  # -d daemonises; a failed boot shows up in the health wait below, with the log tail.
  es_run "cd '$es_home' && ES_JAVA_HOME='$java_home' ES_JAVA_OPTS='-Xms1g -Xmx1g' \
    bin/elasticsearch -d -p '$es_base/run/es.pid' > '$es_base/logs/stdout.log' 2>&1" || true
  for _ in $(seq 1 120); do
    up "$url/_cluster/health?wait_for_status=yellow&timeout=1s" && { say "Elasticsearch $es_version up on $url"; return 0; }
    sleep 1
  done
  tail -20 "$es_base/logs/stdout.log" >&2 || true
  die "Elasticsearch did not start within 120 s (logs: $es_base/logs)"
}

start_s3() {
  local url="http://127.0.0.1:$s3_port"
  if up "$url/moto-api/"; then say "S3 (moto) already answers on $url"; return 0; fi
  install_moto
  nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$s3_port" > "$state/moto.log" 2>&1 &
  echo $! > "$state/moto.pid"
  for _ in $(seq 1 60); do
    up "$url/moto-api/" && { say "S3 API (moto $moto_version) up on $url"; return 0; }
    sleep 0.5
  done
  die "moto_server did not start (log: $state/moto.log)"
}

stop_pid() {
  local f=$1
  [ -f "$f" ] || return 0
  local pid; pid=$(cat "$f")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

case "${1:-}" in
  install) mkdir -p "$state"; install_es; install_moto ;;
  start)
    mkdir -p "$state"
    start_es; start_s3
    printf 'ES_URL=http://127.0.0.1:%s\nCTINDEX_S3_ENDPOINT=http://127.0.0.1:%s\n' "$es_port" "$s3_port" | tee "$state/env"
    ;;
  stop) stop_pid "$state/moto.pid"; stop_pid "$es_base/run/es.pid"; rm -f "$state/env"; say "services stopped" ;;
  status)
    if up "http://127.0.0.1:$es_port/_cluster/health"; then say "Elasticsearch: up"; else say "Elasticsearch: down"; fi
    if up "http://127.0.0.1:$s3_port/moto-api/"; then say "S3 (moto): up"; else say "S3 (moto): down"; fi
    ;;
  *) die "usage: scripts/services.sh start|stop|status|install" ;;
esac
