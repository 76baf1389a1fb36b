#!/bin/bash
# aishell entrypoint: runs as the host user from the start (docker run --user UID:GID,
# --cap-drop=ALL, no-new-privileges): it has no root phase and needs no capability.
#   HOME                                the user's home (an empty tmpfs at the host's path)
#   AISHELL_HARNESS, AISHELL_HARNESS_PACKAGE, AISHELL_HARNESS_VERSION
#                                       the harness aishell starts: it must resolve under
#                                       /opt/harness/bin and be the volume's version
#   /opt/harness                        the harness volume, mounted read-only when present
# The user's name comes from /var/lib/extrausers/{passwd,group,shadow} (mounted read-only by aishell,
# read through libnss-extrausers); `aishell run --sudo` adds the group aishell-sudo.
set -euo pipefail

if [ -d /opt/harness/bin ]; then
  export PATH="/opt/harness/bin:${PATH}"
  export NODE_PATH="/opt/harness/lib/node_modules${NODE_PATH:+:${NODE_PATH}}"
fi

check_harness() {  # the harness must be the volume's
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

check_harness
exec "$@"
