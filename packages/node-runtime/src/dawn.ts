// WebGPU for Node: the `webgpu` npm package (Dawn) installed as navigator.gpu. The one set-up the CLIs,
// the test backend matrix and the repository scripts share.
import { existsSync } from 'node:fs';

export type Gpu = { requestAdapter(): Promise<unknown> };

/** SwiftShader's Vulkan driver, shipped by Debian's chromium package: a software WebGPU adapter. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * WebGPU in Node comes from the `webgpu` npm package (Dawn), installed here as navigator.gpu. A real
 * GPU's driver is tried first; without one, Dawn finds a software adapter through SwiftShader's
 * Vulkan driver (apt packages chromium and libvulkan1, which .ci/run installs). Returns the GPU
 * object with an adapter, or the reason there is none.
 */
export async function nodeGpu(): Promise<Gpu | string> {
  const nav = (globalThis as { navigator?: { gpu?: Gpu } }).navigator;
  if (nav?.gpu) return (await nav.gpu.requestAdapter()) ? nav.gpu : 'navigator.gpu gives no adapter';
  let dawn: { create(options: string[]): Gpu; globals: Record<string, unknown> };
  try {
    dawn = (await import('webgpu')) as unknown as typeof dawn;
  } catch (e) {
    return `the webgpu (Dawn) package does not load: ${(e as Error).message}`;
  }
  let gpu = dawn.create([]);
  if (!(await gpu.requestAdapter())) {
    if (process.env.VK_ICD_FILENAMES || !existsSync(SWIFTSHADER_ICD)) {
      return 'no WebGPU adapter (no GPU, and no SwiftShader: apt-get install chromium libvulkan1)';
    }
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    gpu = dawn.create([]);
    if (!(await gpu.requestAdapter())) return `no WebGPU adapter, even through SwiftShader (${SWIFTSHADER_ICD}); is libvulkan1 installed?`;
  }
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, 'navigator', { value: { ...(nav ?? {}), gpu }, configurable: true, writable: true });
  return gpu;
}

