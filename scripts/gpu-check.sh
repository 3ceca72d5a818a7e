#!/usr/bin/env bash
# The device check of issue 12: the image workload in Chromium with WebGPU, beside Chromium on
# wasm and the CLI on wasm (scripts/gpu-check.ts prints the three). Run it from the repository on a
# machine with a GPU, Node ≥ 22, the project's node_modules (npm ci) and Chromium
# (PRINCIPIA_CHROMIUM=/path/to/chromium if it is not /usr/bin/chromium). Nothing depends on it.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v node >/dev/null || missing+=("node (Node.js ≥ 22)")
[[ -d node_modules/@playwright/test ]] || missing+=("node_modules (run npm ci)")
[[ -x "${PRINCIPIA_CHROMIUM:-/usr/bin/chromium}" ]] || missing+=("Chromium at ${PRINCIPIA_CHROMIUM:-/usr/bin/chromium} (set PRINCIPIA_CHROMIUM)")
if ((${#missing[@]})); then
  printf 'gpu-check: this machine lacks %s\n' "${missing[@]}" >&2
  exit 2
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
exec npx tsx scripts/gpu-check.ts
