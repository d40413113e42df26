// A float64 JavaScript reference of Pattention, written from the formulas (not from our tfjs
// code), used by the tests for values and for finite-difference gradients.
export type Norm = 'l2_norm_gelu' | 'gelu_l2_norm' | 'softmax';

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 is too coarse for finite differences; use a series / continued fraction.
  const t = Math.abs(x);
  if (t < 3) {
    let sum = 0;
    let term = t;
    for (let k = 0; k < 200; k++) {
      sum += term / (2 * k + 1);
      term *= (-t * t) / (k + 1);
      if (Math.abs(term) < 1e-17) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction for large |x|
  let f = 0;
  for (let k = 60; k >= 1; k--) f = k / 2 / (t + f);
  const erfc = Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  return Math.sign(x) * (1 - erfc);
}

export const gelu64 = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));

/** rows [M][n] → Θ(rows) */
export function norm64(rows: number[][], kind: Norm, tau?: number): number[][] {
  return rows.map((a) => {
    const n = a.length;
    if (kind === 'softmax') {
      const e = a.map(Math.exp);
      const s = e.reduce((p, q) => p + q, 0);
      return e.map((v) => (v / s) * (tau ?? n));
    }
    if (kind === 'gelu_l2_norm') {
      const g = a.map(gelu64);
      const l2 = Math.hypot(...g);
      return g.map((v) => (v / l2) * (tau ?? Math.sqrt(n)));
    }
    const l2 = Math.hypot(...a);
    return a.map((v) => gelu64((v / l2) * (tau ?? Math.sqrt(n))));
  });
}

const matmul = (a: number[][], b: number[][]): number[][] =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const transpose = (a: number[][]): number[][] => a[0]!.map((_, j) => a.map((row) => row[j]!));

/** x [M][d1], K [n][d1], V [n][d2] → [M][d2] in float64. */
export function pattention64(x: number[][], k: number[][], v: number[][], kind: Norm, tau?: number): number[][] {
  return matmul(norm64(matmul(x, transpose(k)), kind, tau), v);
}

export function toRows(data: ArrayLike<number>, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => data[i * cols + j]!));
}
