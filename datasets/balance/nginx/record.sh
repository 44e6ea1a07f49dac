#!/usr/bin/env bash
# Records which server the real nginx picks with `hash $arg_key consistent` for 1000 keys, for one server set,
# the same set without one server, and with that server marked down. The upstream addresses are on 127.0.0.1 at
# low ports where nothing listens: nginx picks a peer, fails to connect (502), and names the peer it picked in
# the X-Upstream header ($upstream_addr); max_fails=0 keeps the failure from changing later choices.
# Usage: datasets/balance/nginx/record.sh   (needs nginx and curl; writes chash-*.csv next to this script)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="$(mktemp -d)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
trap '[ -f "$DIR/pid" ] && kill "$(cat "$DIR/pid")" 2>/dev/null; rm -rf "$DIR"' EXIT
record() { # $1 = output file, $2 = server lines
  cat > "$DIR/nginx.conf" <<CONF
master_process off;
daemon off;
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/error.log crit;
events { worker_connections 64; }
http {
  access_log off;
  upstream ring {
    hash \$arg_key consistent;
$2
  }
  server { listen 127.0.0.1:$PORT; location / { proxy_pass http://ring; proxy_next_upstream off;
           add_header X-Upstream \$upstream_addr always; } }
}
CONF
  nginx -p "$DIR" -e "$DIR/error.log" -c "$DIR/nginx.conf" & echo $! > "$DIR/pid"
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.05; done
  {
    echo "# $(nginx -v 2>&1); $(date -u +%FT%TZ); upstream:" $2
    echo "key,server"
    for k in $(seq 0 999); do
      echo "key-$k,$(curl -s -o /dev/null -D - "http://127.0.0.1:$PORT/?key=key-$k" | tr -d '\r' | sed -n 's/^X-Upstream: //Ip')"
    done
  } > "$HERE/$1"
  kill "$(cat "$DIR/pid")"; wait "$(cat "$DIR/pid")" 2>/dev/null || true; rm -f "$DIR/pid"
}
ALL="    server 127.0.0.1:1 max_fails=0; server 127.0.0.1:2 weight=2 max_fails=0;
    server 127.0.0.1:3 max_fails=0; server 127.0.0.1:4 weight=3 max_fails=0;"
record chash-all.csv "$ALL"
record chash-without-3.csv "    server 127.0.0.1:1 max_fails=0; server 127.0.0.1:2 weight=2 max_fails=0;
    server 127.0.0.1:4 weight=3 max_fails=0;"
record chash-3-down.csv "    server 127.0.0.1:1 max_fails=0; server 127.0.0.1:2 weight=2 max_fails=0;
    server 127.0.0.1:3 down; server 127.0.0.1:4 weight=3 max_fails=0;"
