// What the growth experiment reads off a run: its validation curve against training compute, and the
// comparisons made on such curves. Compute is the paper's count per trained token (its Table 3 with
// the backward pass, the usual 6N): 6·N + 12·L·d·T, with N the parameters at that step (a grown run
// changes N at each growth), summed over the steps trained.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFromJson, type TokenFormerConfig } from '@tokenformer/model';
import { readMetrics } from '../report.js';

export interface CurvePoint {
  step: number;
  /** Training compute up to this step, FLOP. */
  flops: number;
  /** Validation loss, nats per token. */
  loss: number;
}

/** The config of a run's first checkpoint (`initFrom`'s, or the model it started from). */
export function readConfig(dir: string): TokenFormerConfig {
  return configFromJson(readFileSync(join(dir, 'config.json'), 'utf8'));
}

/** Training FLOP per token at `params` parameters (the attention term: L layers of width d, T tokens). */
export function flopsPerToken(params: number, config: Pick<TokenFormerConfig, 'numLayers' | 'hiddenSize'>, seqLength: number): number {
  return 6 * params + 12 * config.numLayers * config.hiddenSize * seqLength;
}

/**
 * A run's validation curve with its compute: `startParams` parameters until the first growth in its
 * metrics.jsonl, then each growth's `paramsAfter`; `tokensPerStep` trained tokens a step; `offset`
 * FLOP spent before it (e.g. the run a fine-tune starts from).
 */
export function runCurve(runDir: string, startParams: number, config: TokenFormerConfig, seqLength: number, tokensPerStep: number, offset = 0): CurvePoint[] {
  const rows = readMetrics(runDir);
  const growths = rows.filter((r) => r.type === 'growth').map((r) => ({ step: r.step as number, params: r.paramsAfter as number }));
  const paramsAt = (step: number): number => growths.filter((g) => g.step < step).reduce((p, g) => g.params, startParams);
  const points: CurvePoint[] = [];
  let flops = offset;
  let done = 0;
  for (const v of rows.filter((r) => r.type === 'validation')) {
    const step = v.step as number;
    for (; done < step; done++) flops += tokensPerStep * flopsPerToken(paramsAt(done + 1), config, seqLength);
    points.push({ step, flops, loss: v.loss as number });
  }
  return points;
}

/**
 * The compute at which `curve` first reaches `loss` (linear between validations), or null when it
 * never does. A curve's first point is reached at its own compute.
 */
export function computeToReach(curve: CurvePoint[], loss: number): number | null {
  for (let i = 0; i < curve.length; i++) {
    const p = curve[i]!;
    if (p.loss > loss) continue;
    if (i === 0) return p.flops;
    const q = curve[i - 1]!;
    return q.flops + ((q.loss - loss) / (q.loss - p.loss)) * (p.flops - q.flops);
  }
  return null;
}

/** The loss of `curve` at compute `flops` (linear between validations; null outside the curve). */
export function lossAtCompute(curve: CurvePoint[], flops: number): number | null {
  for (let i = 1; i < curve.length; i++) {
    const [q, p] = [curve[i - 1]!, curve[i]!];
    if (flops >= q.flops && flops <= p.flops) return q.loss + ((flops - q.flops) / (p.flops - q.flops || 1)) * (p.loss - q.loss);
  }
  return curve.length > 0 && flops === curve[0]!.flops ? curve[0]!.loss : null;
}

/** Mean and half the range of some numbers (the spread over seeds). */
export function spread(values: number[]): { mean: number; halfRange: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, halfRange: (Math.max(...values) - Math.min(...values)) / 2 };
}
