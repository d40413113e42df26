#!/usr/bin/env bash
# The GPU run, on a lent machine with an NVIDIA GPU, from the repository root, after
# `bash tools/device/bundle.sh` here (and, once, the Vulkan loader packages into .gl/, as the device
# tool's README says). One device call:
#   run(command="bash tools/device/run.sh", carry=[".device", ".gl"], timeout_s=590)
# It unpacks node, Dawn and the Vulkan loader, points Vulkan at the NVIDIA driver, and runs: the
# WebGPU bench (bench config, ours vs stock kernels), then bench-gpu (the matMul peak of this GPU,
# 150M-shaped generation at batch 1, a ~59M model's training with tokens/s and MFU, peak memory).
# Results also go to $OUT (JSON) when the device tool sets it.
set -uo pipefail
root=$(pwd)
if compgen -G ".gl/*.deb" >/dev/null; then for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig; fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"; fi
cd "$root/.device" || { echo "no .device/: run tools/device/bundle.sh first and carry .device" >&2; exit 1; }
[ -x bin/node ] || { gunzip -c bin/node.gz > bin/node && chmod +x bin/node; }
[ -f node_modules/webgpu/dist/linux-x64/dawn.node ] || gunzip -c bin/dawn.node.gz > node_modules/webgpu/dist/linux-x64/dawn.node
export LD_LIBRARY_PATH="$PWD/bin:${LD_LIBRARY_PATH:-}"
out=${OUT:-$PWD/results}
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi: none"
# peak GPU memory as the driver sees it, sampled every 0.5 s while the benches run
( while true; do nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits 2>/dev/null; sleep 0.5; done ) > "$out/memory.log" &
sampler=$!
timeout 200 bin/node bench-webgpu.mjs --config=bench --rounds=3 --json="$out/webgpu.json"
timeout 330 bin/node bench-gpu.mjs --minutes=4 --json="$out/gpu.json"
kill "$sampler" 2>/dev/null
echo "peak GPU memory used (nvidia-smi): $(sort -n "$out/memory.log" | tail -1) MiB"
