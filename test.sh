#!/usr/bin/env bash
# Every test, on a fresh machine too: installs what the browser tests need (Debian's Chromium and its fonts) when it
# is missing, then runs `dotnet test`. The protocol servers (npm ci) are installed by the tests on first use.
# Extra arguments go to dotnet test, e.g. ./test.sh --filter FullyQualifiedName~Console
set -euo pipefail
cd "$(dirname "$0")"
if [[ -z "${OMNICHANNEL_CHROMIUM:-}" ]] && { ! command -v chromium >/dev/null || ! dpkg -s fonts-liberation >/dev/null 2>&1; }; then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "Installing Chromium and fonts-liberation for the console's browser tests (once)…"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-liberation >/dev/null
fi
exec dotnet test OmniChannel.sln "$@"
