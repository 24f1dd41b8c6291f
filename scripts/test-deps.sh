#!/usr/bin/env bash
# Installs and starts what the test suite needs outside npm: FFmpeg, Chromium, PostgreSQL, Redis, Tesseract OCR,
# buildah and debootstrap (the server container test) (Debian/Ubuntu, as root).
# Idempotent: skips what is already there. Prints the DATABASE URL tests should use on its last line.
set -euo pipefail

need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-eng)
command -v buildah >/dev/null 2>&1 || need+=(buildah)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if ((${#need[@]})); then
  echo "Installing: ${need[*]}" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

# Start the first PostgreSQL cluster and give the postgres role a password for TCP logins.
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  pg_createcluster 15 main >&2
  cluster="15 main"
fi
pg_ctlcluster $cluster start >&2 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -q && break
  sleep 1
done
# Redis on its default port (render farm and shared rate limits); tests that restart Redis start their own.
if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
  redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >&2
  for _ in $(seq 1 30); do
    redis-cli -p 6379 ping >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >&2
echo "postgres://postgres:postgres@127.0.0.1:5432/postgres"
