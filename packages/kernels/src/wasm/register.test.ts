import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { activeBackendTraits, hasKernel } from '../backendTraits.js';
import { GATHER_ROWS, KERNEL_NAMES, L2_NORM_GELU, L2_NORM_GELU_GRAD, LAYER_NORM, LAYER_NORM_GRAD, MATMUL, ROTARY, SPLIT_V, TRANSPOSE_2D } from '../kernelNames.js';
import { registerWasmKernels, WASM_HEAP_BYTES, WASM_WEIGHT_BYTES } from './register.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('registerWasmKernels', () => {
  it('registers every kernel under our own name, none of them a tfjs kernel, and is idempotent', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    const tfjsWasmKernels = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    for (const name of KERNEL_NAMES) expect(tfjsWasmKernels.has(name), name).toBe(false);
    const names = registerWasmKernels();
    const wasmNames = [L2_NORM_GELU, L2_NORM_GELU_GRAD, TRANSPOSE_2D, LAYER_NORM, LAYER_NORM_GRAD, ROTARY, SPLIT_V, GATHER_ROWS, MATMUL];
    expect([...names].sort()).toEqual([...wasmNames].sort()); // Node has WebAssembly SIMD
    expect(registerWasmKernels()).toEqual(names);
    for (const name of wasmNames) {
      expect(name.startsWith('TokenFormer'), name).toBe(true);
      expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
      expect(tf.getKernel(name, 'cpu'), name).toBeUndefined();
    }
  });

  it('gives the wasm backend its traits, and only the wasm backend', async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    registerWasmKernels();
    await tf.setBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(hasKernel('TokenFormerTranspose2D')).toBe(true);
    expect(activeBackendTraits()).toEqual({ maxWeightBytes: WASM_WEIGHT_BYTES, maxTrainingBytes: WASM_HEAP_BYTES, slowBatchedMatMul: true, slowTransposeB: true });
    await tf.setBackend('cpu');
    expect(hasKernel('TokenFormerTranspose2D')).toBe(false);
    expect(activeBackendTraits()).toEqual({});
  });
});

describe('the committed wasm modules', () => {
  for (const [name, build] of [['matMul', 'plain'], ['matMulRelaxed', 'relaxed']] as const) {
    it(`${name}.wat is what tools/scripts/gen-matmul-wat.mjs writes (${build} SIMD)`, async () => {
      const script = join(here, '..', '..', '..', '..', 'tools', 'scripts', 'gen-matmul-wat.mjs');
      const { matMulWat } = (await import(script)) as { matMulWat: (kind: string) => string };
      expect(matMulWat(build)).toBe(readFileSync(join(here, `${name}.wat`), 'utf8'));
    });
  }
  for (const name of ['l2NormGelu', 'layerNorm', 'transpose2d', 'matMul', 'matMulRelaxed']) {
    it(`${name}Wasm.ts is what tools/scripts/build-wasm.mjs assembles from ${name}.wat`, async () => {
      const script = join(here, '..', '..', '..', '..', 'tools', 'scripts', 'build-wasm.mjs');
      const { wasmModuleSource } = (await import(script)) as { wasmModuleSource: (name: string, wat: string) => Promise<string> };
      expect(await wasmModuleSource(name, readFileSync(join(here, `${name}.wat`), 'utf8'))).toBe(readFileSync(join(here, `${name}Wasm.ts`), 'utf8'));
    });
  }
});
