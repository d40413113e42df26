#!/usr/bin/env bash
# Packs the benchmarks into .device/ (about 52 MB) for a lent GPU machine that has no network, no
# node_modules and no Node.js: bundled bench.mjs (the model bench), bench-webgpu.mjs (ours vs stock
# WebGPU kernels) and bench-gpu.mjs (matMul peak, 150M generation, ~59M training with MFU and peak
# memory), tfjs's wasm binaries beside them, the webgpu (Dawn) package for linux-x64, and gzipped
# copies of this machine's node binary, dawn.node and Vulkan loader (to stay under the 64 MiB a device
# call carries). tools/device/run.sh unpacks and runs them there (see tools/device/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device
pnpm --filter @tokenformer/tools build >/dev/null
rm -rf "$out"
mkdir -p "$out/node_modules/webgpu/dist/linux-x64"
banner="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
for entry in bench:bench benchWebgpu:bench-webgpu benchGpu:bench-gpu; do
  pnpm --filter @tokenformer/tools exec esbuild "dist/${entry%%:*}.js" --bundle --platform=node --format=esm --target=node20 \
    --minify --external:webgpu --log-level=warning "--banner:js=$banner" --outfile="../$out/${entry##*:}.mjs"
done
wasm=$(dirname "$(readlink -f tools/node_modules/@tensorflow/tfjs-backend-wasm/package.json)")
cp "$wasm"/dist/*.wasm "$out/"
webgpu=$(dirname "$(readlink -f tools/node_modules/webgpu/package.json)")
cp "$webgpu/index.js" "$webgpu/package.json" "$out/node_modules/webgpu/"
mkdir -p "$out/bin"
gzip -9 -c "$webgpu/dist/linux-x64/dawn.node" > "$out/bin/dawn.node.gz"
gzip -9 -c "$(readlink -f "$(command -v node)")" > "$out/bin/node.gz"
vulkan=$(ldconfig -p | awk '/libvulkan.so.1 .*x86-64/ { print $NF; exit }')
if [ -n "$vulkan" ]; then cp "$(readlink -f "$vulkan")" "$out/bin/libvulkan.so.1"; fi
du -sh "$out"
