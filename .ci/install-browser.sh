#!/usr/bin/env bash
# Installs Debian's Chromium for the report's browser test (test/report/browser.test.ts), which
# playwright-core drives at /usr/bin/chromium. Idempotent: does nothing when it is already there.
# Needs root (or sudo) and the Debian package mirror; CI runs it before `npm test`.
set -euo pipefail
CHROMIUM="${FEISHU_BACKUP_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  echo "chromium already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
"$CHROMIUM" --version
