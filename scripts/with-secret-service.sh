#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with its own, unlocked GNOME Keyring, so tests can
# use a real Secret Service without ever touching the user's keyring:
#   bash scripts/with-secret-service.sh vitest run
# The keyring's files live in a throwaway HOME that is deleted afterwards. The command sees
# BRIDGEKEEP_SECRET_SERVICE=private (tests that need the keyring check it), the temporary HOME and
# XDG_RUNTIME_DIR, and the private DBUS_SESSION_BUS_ADDRESS; everything else is passed through.
# Needs dbus-run-session, dbus-send and gnome-keyring-daemon (bash scripts/system-deps.sh).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: bash scripts/with-secret-service.sh <command> [args...]" >&2
  exit 2
fi

# Already inside a private session (e.g. `npm run test:unit` from a script that used this one).
if [ "${BRIDGEKEEP_SECRET_SERVICE:-}" = private ]; then
  exec "$@"
fi

for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-secret-service: $tool is missing; run: bash scripts/system-deps.sh" >&2
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bridgekeep-keyring.XXXXXX")
chmod 700 "$tmp"
mkdir -m 700 "$tmp/run"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
# Turn Ctrl-C and kill into a normal exit so the EXIT trap still removes the directory (bash runs
# it once the command in the foreground has ended; Ctrl-C reaches that command too).
trap 'exit 130' INT
trap 'exit 143' TERM

# Inside the session: start the keyring daemon with a fresh login keyring unlocked by a throwaway
# password, wait until it owns the Secret Service name (it returns before that, and a client that
# came too early could find no keyring or start a second one), run the command, then stop the
# daemon (one that never saw a client can miss the bus closing and linger).
# shellcheck disable=SC2016 # expanded by the inner sh, not here
inner='
printf %s bridgekeep-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null || {
  echo "with-secret-service: gnome-keyring-daemon did not start" >&2
  exit 1
}
tries=0
until pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
  org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null); do
  tries=$((tries + 1))
  if [ "$tries" -ge 100 ]; then
    echo "with-secret-service: the keyring never appeared on the session bus" >&2
    exit 1
  fi
  sleep 0.1
done
pid=$(echo "$pid" | awk "{ print \$2 }")
status=0
"$@" || status=$?
kill "$pid" 2>/dev/null || true
exit "$status"
'

# Everything the daemons could use to find the user's real keyring points into $tmp instead:
# HOME and XDG_DATA_HOME hold the keyring files, XDG_RUNTIME_DIR its control socket,
# GNOME_KEYRING_CONTROL would make --unlock talk to an already-running (real) daemon.
# dbus-run-session replaces DBUS_SESSION_BUS_ADDRESS and exits with the command's status.
status=0
env -u GNOME_KEYRING_CONTROL -u GNOME_KEYRING_PID -u XDG_DATA_HOME \
  HOME="$tmp" XDG_RUNTIME_DIR="$tmp/run" BRIDGEKEEP_SECRET_SERVICE=private \
  dbus-run-session -- sh -c "$inner" with-secret-service "$@" || status=$?
exit "$status"
