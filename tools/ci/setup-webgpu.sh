#!/usr/bin/env bash
# Gives Node a software WebGPU adapter for the webgpu test backend: Dawn (the `webgpu` npm package)
# drives SwiftShader's Vulkan driver, which Debian ships in the chromium package, through the Vulkan
# loader (libvulkan1). Needs root and Debian's apt; without them the webgpu tests skip visibly.
set -u
if [ -e /usr/lib/chromium/vk_swiftshader_icd.json ] && ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
  echo "webgpu: SwiftShader and the Vulkan loader are present"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "webgpu: cannot install chromium + libvulkan1 (needs root and apt-get); webgpu tests will be skipped"
  exit 0
fi
echo "webgpu: installing Debian's chromium (SwiftShader) and libvulkan1"
if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libvulkan1 >/dev/null); then
  echo "webgpu: apt-get failed; webgpu tests will be skipped"
fi
exit 0
