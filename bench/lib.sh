# Shared by the benchmark scripts (sourced): set-up and clean-up, nginx as
# the reference server, wrk measurements and medians.

# Checks the tools, makes the work directory ($work), and on exit stops
# Gazette ($gazette_pid) and nginx and removes it.
bench_setup() {
  for tool in wrk nginx taskset curl; do
    command -v "$tool" >/dev/null || { echo "bench needs $tool (Debian: wrk, nginx-light, util-linux, curl)" >&2; exit 1; }
  done
  work="$(mktemp -d)"
  chmod 755 "$work"
  trap bench_cleanup EXIT
}

bench_cleanup() {
  [ -n "${gazette_pid:-}" ] && kill "$gazette_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}

# Starts nginx with one worker on CPU 0, serving DIR/www on PORT, with extra
# server-block lines (e.g. "gzip_static on;"). Its files live under DIR.
start_nginx() {
  local dir="$1" port="$2" extra="${3:-}"
  mkdir -p "$dir/tmp"
  cat >"$dir/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log crit;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  open_file_cache max=100;
  types { text/html html; }
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    $extra
  }
}
CONF
  taskset -c 0 nginx -c "$dir/nginx.conf" -p "$dir"
  sleep 0.5
}

# wrk on CPU 1 against URL with CONNECTIONS for SECONDS (and more wrk
# arguments) → "requests_per_second p99_ms"
measure() {
  local url="$1" connections="$2" seconds="$3"
  shift 3
  taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" --latency "$@" "$url" | awk '
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" { v = $2; ms = v + 0; if (v ~ /us$/) ms /= 1000; else if (v ~ /[^m]s$/) ms *= 1000; p99 = ms }
    END { printf "%.0f %.3f\n", rps, p99 }'
}

# The median of numbers, one per line.
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
