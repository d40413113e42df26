// MATMUL on wasm: our register-blocked matrix multiply (matMul.wat, 4x8 micro-kernels on a packed A)
// in a relaxed-SIMD build (f32x4.relaxed_madd: a fused multiply-add where the CPU has one) where the
// engine validates it, else the plain-SIMD build. Transposed operands are copied into place first.
// Shapes it does not take (N not a multiple of 4), and shape classes where tfjs-wasm's XNNPACK was
// measured faster (`ownMatMulTakes`), run tfjs-wasm's own BatchMatMul instead, on operands copied
// into place as @tokenformer/pattention's own path does without this kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { MATMUL, type MatMulAttrs, type MatMulInputs } from '../kernelNames.js';
import { heapIsShared, kernelModule, moduleSupported, offsetOf, type KernelModuleSource, type WasmBackendLike } from './heap.js';
import { matMulPlain, matMulShared } from './matMulWasm.js';
import { matMulRelaxedPlain, matMulRelaxedShared } from './matMulRelaxedWasm.js';

interface MatMulExports {
  /** c = a · b for a [M, K], b [K, N], N % 4 = 0; `packed` holds (M rounded down to 4, plus 8) times K floats. */
  matmul(a: number, b: number, c: number, M: number, K: number, N: number, packed: number): void;
  transpose(x: number, out: number, rows: number, cols: number): void;
}

export const MATMUL_MODULES = {
  relaxed: { plain: matMulRelaxedPlain, shared: matMulRelaxedShared },
  plain: { plain: matMulPlain, shared: matMulShared },
} satisfies Record<string, KernelModuleSource>;

export type MatMulBuild = keyof typeof MATMUL_MODULES;

let build: MatMulBuild | null | undefined;

/** Runs `which` build from now on (tests compare the two); undefined detects again. */
export function useMatMulBuild(which: MatMulBuild | null | undefined): void {
  build = which;
}

/** Which build of our matMul this engine runs: 'relaxed', 'plain', or null (no WebAssembly SIMD). Detected once. */
export function matMulBuild(): MatMulBuild | null {
  if (build === undefined) build = moduleSupported(MATMUL_MODULES.relaxed) ? 'relaxed' : moduleSupported(MATMUL_MODULES.plain) ? 'plain' : null;
  return build;
}

/** When our kernel runs: 'auto' (the measured policy, `ownMatMulTakes`), or always / never where it can (benches, tests). */
export type MatMulPolicy = 'auto' | 'always' | 'never';
let policy: MatMulPolicy = 'auto';

/** Sets when our matMul runs instead of XNNPACK's (benches and tests compare the two). */
export function setMatMulPolicy(p: MatMulPolicy): void {
  policy = p;
}

/**
 * Whether our kernel takes a product of these sizes (else XNNPACK's runs): N a multiple of 4, and
 * the policy. 'auto', from `pnpm bench:matmul` (the bench config's products, 1 and 2 threads): ours
 * on one thread for M ≥ 64 (relaxed build 1.4-1.7x XNNPACK at M = 2048, plain 1.0-1.2x; 0.4x at
 * M = 1, a decoding step); XNNPACK on the threaded build (ours runs on one thread: 0.6-0.8x XNNPACK on two).
 */
export function ownMatMulTakes(M: number, K: number, N: number, threaded: boolean): boolean {
  if (N % 4 !== 0 || M < 1 || K < 1 || policy === 'never') return false;
  return policy === 'always' || (!threaded && M >= 64);
}

/** For a backend line: which matMul the running wasm backend uses for big products, and which build of ours. */
export function describeWasmMatMul(): string {
  const which = matMulBuild();
  if (which === null) return "XNNPACK's matMul (no WebAssembly SIMD for ours)";
  const threaded = heapIsShared(tf.backend() as unknown as WasmBackendLike);
  if (ownMatMulTakes(2048, 256, 1024, threaded)) return `our matMul, ${which} SIMD`; // a big product, as training makes
  return threaded && policy === 'auto' ? "XNNPACK's matMul on the threads (ours: one thread)" : "XNNPACK's matMul";
}

/** Below this many rows, XNNPACK's transposeB flag beats a transposed copy (pattention's SMALL_M_ROWS). */
const SMALL_M_ROWS = 32;

const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as WasmBackendLike & { disposeData(dataId: object): void };
  const { a, b: bIn } = inputs as MatMulInputs;
  const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
  const [M, K] = transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const N = transposeB ? bIn.shape[0]! : bIn.shape[1]!;
  const which = matMulBuild();
  const module = which === null ? null : kernelModule<MatMulExports>(MATMUL_MODULES[which], b);
  const ours = module !== null && ownMatMulTakes(M, K, N, heapIsShared(b));
  // transposed operands are copied into place (XNNPACK's transpose flags are its slow path), except
  // b for XNNPACK's few-row products, where its transposeB flag is the faster
  const temps: TensorInfo[] = [];
  const placed = (x: TensorInfo, transposed: boolean): TensorInfo => {
    if (!transposed || module === null) return x;
    const t = b.makeOutput([x.shape[1]!, x.shape[0]!], 'float32');
    temps.push(t);
    module.transpose(offsetOf(b, x), offsetOf(b, t), x.shape[0]!, x.shape[1]!);
    return t;
  };
  const flagB = transposeB && (module === null || (!ours && M < SMALL_M_ROWS));
  const aPlaced = placed(a, transposeA); // [M, K]
  const bPlaced = placed(bIn, transposeB && !flagB); // [K, N], or [N, K] with flagB
  let out: TensorInfo;
  if (ours) {
    out = b.makeOutput([M, N], 'float32');
    const packed = b.makeOutput([M - (M % 4) + 8, K], 'float32'); // A's row blocks, then one B panel, packed
    temps.push(packed);
    module!.matmul(offsetOf(b, aPlaced), offsetOf(b, bPlaced), offsetOf(b, out), M, K, N, offsetOf(b, packed));
  } else {
    const xnnpack = tf.getKernel('BatchMatMul', 'wasm')!;
    const flagA = transposeA && module === null;
    out = xnnpack.kernelFunc({ inputs: { a: aPlaced, b: bPlaced }, backend, attrs: { transposeA: flagA, transposeB: flagB } as unknown as NamedAttrMap }) as TensorInfo; // [M, N]
  }
  for (const t of temps) b.disposeData(t.dataId);
  return out;
};

export const matMulConfig: KernelConfig = { kernelName: MATMUL, backendName: 'wasm', kernelFunc };
