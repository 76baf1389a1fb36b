#!/bin/bash
# aishell entrypoint: run the command as the host user, with the harness volume on PATH.
#   LOCAL_UID / LOCAL_GID / LOCAL_HOME  the user to create and run as (default 1000:1000, /home/aishell)
#   AISHELL_SUDO=1                      let that user sudo without a password (aishell run --sudo)
#   AISHELL_HARNESS, AISHELL_HARNESS_PACKAGE, AISHELL_HARNESS_VERSION
#                                       the harness aishell starts: it must resolve under
#                                       /opt/harness/bin and be the volume's version
#   /opt/harness                        the harness volume, mounted read-only when present
# Needs only CAP_CHOWN, CAP_SETUID and CAP_SETGID (aishell run drops every other capability).
set -euo pipefail

if [ -d /opt/harness/bin ]; then
  export PATH="/opt/harness/bin:${PATH}"
  export NODE_PATH="/opt/harness/lib/node_modules${NODE_PATH:+:${NODE_PATH}}"
fi

uid="${LOCAL_UID:-1000}"
gid="${LOCAL_GID:-1000}"
home="${LOCAL_HOME:-/home/aishell}"

check_harness() {  # as the user, with the user's PATH: the harness must be the volume's
  local exe="${AISHELL_HARNESS:-}" found version
  [ -n "$exe" ] || return 0
  found=$(command -v "$exe" || true)
  if [ "$found" != "/opt/harness/bin/$exe" ]; then
    if [ -z "$found" ]; then
      echo "aishell: $exe is not in the harness volume (/opt/harness/bin/$exe is missing)" >&2
    else
      echo "aishell: $exe resolves to $found, which shadows /opt/harness/bin/$exe: remove it from the image or from PATH" >&2
    fi
    exit 2
  fi
  if [ -n "${AISHELL_HARNESS_PACKAGE:-}" ] && [ -n "${AISHELL_HARNESS_VERSION:-}" ]; then
    version=$(jq -r .version "/opt/harness/lib/node_modules/$AISHELL_HARNESS_PACKAGE/package.json" 2>/dev/null || true)
    if [ "$version" != "$AISHELL_HARNESS_VERSION" ]; then
      echo "aishell: /opt/harness/bin/$exe is version ${version:-unknown}, the volume's label says $AISHELL_HARNESS_VERSION" >&2
      exit 2
    fi
  fi
}

if [ "$(id -u)" != 0 ] || [ "$uid" = 0 ]; then
  export HOME="$home"
  check_harness
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
if [ "${AISHELL_SUDO:-}" = 1 ]; then
  echo "#$uid ALL=(ALL) NOPASSWD:ALL" >/etc/sudoers.d/aishell
  chmod 0440 /etc/sudoers.d/aishell
fi

export HOME="$home"
if [ -n "${AISHELL_HARNESS:-}" ]; then
  gosu "$uid:$gid" env HOME="$home" bash -c "$(declare -f check_harness); check_harness"
fi
exec gosu "$uid:$gid" env HOME="$home" "$@"
