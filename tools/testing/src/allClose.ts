// Element-wise comparison with numpy's rule |a - b| <= atol + rtol * |b|, reporting the worst element.
export interface CloseResult {
  ok: boolean;
  maxAbsDiff: number;
  worstIndex: number;
  message: string;
}

type Numeric = ArrayLike<number>;

export function compareClose(actual: Numeric, expected: Numeric, rtol: number, atol: number): CloseResult {
  if (actual.length !== expected.length) {
    return { ok: false, maxAbsDiff: Infinity, worstIndex: -1, message: `length ${actual.length} != ${expected.length}` };
  }
  let ok = true;
  let maxAbsDiff = 0;
  let worstIndex = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    const diff = Math.abs(a - b);
    const excess = diff - (atol + rtol * Math.abs(b));
    if (!(excess <= 0)) ok = false;
    if (diff > maxAbsDiff || Number.isNaN(diff)) maxAbsDiff = Number.isNaN(diff) ? NaN : diff;
    if (excess > worstExcess || Number.isNaN(excess)) {
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
      worstIndex = i;
    }
  }
  const message = ok
    ? `all close (max |diff| ${maxAbsDiff})`
    : `not close: element ${worstIndex} is ${actual[worstIndex]} vs ${expected[worstIndex]} (rtol ${rtol}, atol ${atol}, max |diff| ${maxAbsDiff})`;
  return { ok, maxAbsDiff, worstIndex, message };
}

/** Throws with the worst element when the arrays are not close. */
export function expectAllClose(actual: Numeric, expected: Numeric, rtol = 1e-5, atol = 1e-6): number {
  const r = compareClose(actual, expected, rtol, atol);
  if (!r.ok) throw new Error(r.message);
  return r.maxAbsDiff;
}

/** Relative error of a whole vector: ||a - b|| / max(||b||, tiny). */
export function relativeError(actual: Numeric, expected: Numeric): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = actual[i]! - expected[i]!;
    num += d * d;
    den += expected[i]! * expected[i]!;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}
