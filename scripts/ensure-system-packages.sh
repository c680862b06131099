#!/usr/bin/env bash
# Installs what the MariaDB test rig needs (MariaDB 10.11 server and client, iproute2, iputils-arping),
# idempotently: quiet and fast when everything is there. Used by CI and before `npm test` on a fresh box.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }

# iputils' arping answers `-V` with "arping from iputils…"; the conflicting Habets arping does not.
iputils_arping() { have arping && arping -V 2>&1 | grep -qi iputils; }

if have mariadbd && have mariadb && have mariadb-install-db && have ip && iputils_arping; then
  exit 0
fi

PKGS=(mariadb-server mariadb-client iputils-arping iproute2)

if [ "${EUID}" -ne 0 ]; then
  echo "Missing system packages. Run as root: apt-get install -y ${PKGS[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when the install cannot proceed without them.
if ! apt-get install -y --no-install-recommends "${PKGS[@]}"; then
  apt-get update
  apt-get install -y --no-install-recommends "${PKGS[@]}"
fi

# On a systemd host the package starts a server on 127.0.0.1:3306: harmless to the namespaced rig,
# but not ours. Stop it and keep it from starting at boot.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now mariadb >/dev/null 2>&1 || true
fi
