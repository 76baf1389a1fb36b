#!/bin/bash
# aishell entrypoint: run the command as the host user, with the harness volume on PATH.
#   LOCAL_UID / LOCAL_GID / LOCAL_HOME  the user to create and run as (default 1000:1000, /home/aishell)
#   /opt/harness                        the harness volume, mounted read-only when present
set -euo pipefail

if [ -d /opt/harness/bin ]; then
  export PATH="/opt/harness/bin:${PATH}"
  export NODE_PATH="/opt/harness/lib/node_modules${NODE_PATH:+:${NODE_PATH}}"
fi

uid="${LOCAL_UID:-1000}"
gid="${LOCAL_GID:-1000}"
home="${LOCAL_HOME:-/home/aishell}"

if [ "$(id -u)" != 0 ] || [ "$uid" = 0 ]; then
  exec "$@"
fi

if ! getent group "$gid" >/dev/null; then
  groupadd --gid "$gid" aishell
fi
if ! getent passwd "$uid" >/dev/null; then
  useradd --uid "$uid" --gid "$gid" --home-dir "$home" --no-create-home --shell /bin/bash aishell
fi
mkdir -p "$home"
chown "$uid:$gid" "$home"
# The project is mounted from the host and owned by another uid: let git use it.
git config --system --add safe.directory '*'

exec gosu "$uid:$gid" env HOME="$home" PATH="$PATH" NODE_PATH="${NODE_PATH:-}" "$@"
