#!/usr/bin/env bash
# Packs the benchmark into .device/ (about 48 MB) for a lent GPU machine that has no network, no
# node_modules and no Node.js: one bundled bench.mjs, tfjs's wasm binaries beside it, the webgpu
# (Dawn) package for linux-x64, and gzipped copies of this machine's node binary, dawn.node and
# Vulkan loader (to stay under the 64 MiB a device call carries). There:
#   cd .device && gunzip -c bin/node.gz > bin/node && chmod +x bin/node \
#     && gunzip -c bin/dawn.node.gz > node_modules/webgpu/dist/linux-x64/dawn.node \
#     && LD_LIBRARY_PATH=$PWD/bin bin/node bench.mjs --backends=webgpu,wasm
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device
pnpm --filter @tokenformer/tools build >/dev/null
rm -rf "$out"
mkdir -p "$out/node_modules/webgpu/dist/linux-x64"
banner="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
pnpm --filter @tokenformer/tools exec esbuild dist/bench.js --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --log-level=warning "--banner:js=$banner" --outfile="../$out/bench.mjs"
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
