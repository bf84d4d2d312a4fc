#!/usr/bin/env bash
# Debian packages the project builds and runs with. Idempotent: skips when all are there.
set -euo pipefail
packages=(
  libzmq3-dev libssl-dev libopenblas-dev libpng-dev zlib1g-dev pkg-config  # the five C libraries
  libdnnl-dev                                                               # oneDNN: the conv layers (dlopened)
  dataset-fashion-mnist                                                     # the default data set
  python3-venv                                                              # the Jupyter test tools' venv
  chromium                                                                  # the real-browser test (JupyterLab via Playwright)
  node-configurable-http-proxy                                               # JupyterHub's proxy for `make hub-test`
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
