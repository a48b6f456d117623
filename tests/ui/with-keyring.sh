#!/bin/sh
# Runs a test inside a private D-Bus session with an unlocked gnome-keyring (Secret Service),
# the way a desktop session provides one:  with-keyring.sh TEST [ARGS...]
set -eu
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
    echo "with-keyring.sh: needs dbus-run-session and gnome-keyring-daemon (Debian packages dbus, gnome-keyring)" >&2
    exit 1
fi
# A throw-away keyring directory, so that tests never touch the user's keyring.
home=$(mktemp -d "${TMPDIR:-/tmp}/qc-keyring-XXXXXX")
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
dbus-run-session -- sh -c 'echo -n x | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' with-keyring "$@"
