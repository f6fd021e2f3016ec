#!/usr/bin/env bash
# Every test, on a fresh machine too (after `npm ci`): installs what the tests need when it is missing
# (Debian's chromium for the panel tests, redis-server for the Redis-mode tests, GNU time for the
# memory figure's check), builds, starts a private redis-server on a free loopback port for the
# Redis-mode tests (unless FLUXIR_TEST_REDIS_URL names one), then runs `npm test`: the type check and
# both jest projects, unit and integration. Arguments go to jest: scripts/test.sh test/server-rest.test.ts
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo -E)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "$@"
}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/time ] || missing+=(time)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing what the tests need: ${missing[*]}"
  apt_install "${missing[@]}"
fi

# The integration tests run the built code; a build that is current takes a few seconds.
npm run build

if [ -z "${FLUXIR_TEST_REDIS_URL:-}" ]; then
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null 2>&1 &
  redis_pid=$!
  trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
  # Wait until it answers (the fault tests also start private servers of their own).
  node -e "
    const net = require('net');
    const deadline = Date.now() + 10000;
    const tryOnce = () => {
      const socket = net.connect($port, '127.0.0.1', () => { socket.end(); process.exit(0); });
      socket.on('error', () => Date.now() < deadline ? setTimeout(tryOnce, 100) : (console.error('redis-server did not start on port $port'), process.exit(1)));
    };
    tryOnce();"
  export FLUXIR_TEST_REDIS_URL="redis://127.0.0.1:$port/0"
fi

npm test -- "$@"
