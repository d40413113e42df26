// WebAssembly relaxed SIMD (f32x4.relaxed_madd: the fused multiply-add of our wasm matMul) is on by
// default from Node 22; Node 20 and 21 have it behind V8's --experimental-wasm-relaxed-simd, which
// takes effect for modules compiled after it is set. startBackend('wasm') sets it there, before our
// kernels are registered, so every command gets the relaxed build without a flag of its own;
// TOKENFORMER_WASM_RELAXED_SIMD=0 leaves it off (the plain-SIMD build then runs).
import v8 from 'node:v8';

let done = false;

/** Turns relaxed SIMD on where this Node has it behind a flag (20, 21); true when it set the flag. */
export function enableRelaxedSimd(): boolean {
  if (done) return false;
  done = true;
  if (process.env.TOKENFORMER_WASM_RELAXED_SIMD === '0') return false;
  const major = Number(process.versions.node.split('.')[0]);
  if (!(major >= 20 && major < 22)) return false;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return true;
}
