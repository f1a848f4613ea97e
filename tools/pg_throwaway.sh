#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, on a Unix socket inside its own folder.
#
#   tools/pg_throwaway.sh start DIR   # initdb + pg_ctl start; prints the server's URL
#   tools/pg_throwaway.sh stop DIR    # stops the server and removes DIR
#
# Uses Debian's postgresql package (initdb and pg_ctl on PATH or under
# /usr/lib/postgresql/*/bin). As root the server runs as the 'postgres' user, which the
# package creates. Trust authentication, no TCP port, fsync off: for tests only.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
cmd="$1"
dir="$(realpath -m "$2")"
initdb="$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
[[ -n "$initdb" ]] || { echo "$0: initdb not found (Debian: apt-get install postgresql)" >&2; exit 1; }
bin="$(dirname "$(readlink -f "$initdb")")"
as_server() { if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
    mkdir -p "$dir"
    [[ "$(id -u)" -ne 0 ]] || chown postgres "$dir"
    as_server "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@/postgres?host=$dir"
    ;;
stop)
    if [[ -d "$dir/data" ]]; then as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
