// The harness's classification aggregations (lm_eval/api/metrics.py 0.4.9.1, which calls sklearn):
// Matthews correlation (`mcc`, CoLA), binary F1 (`f1`: MRPC, QQP) and CB's mean of the three
// one-vs-rest F1s (super_glue/cb/aggregate.py). Items are (gold, pred) pairs, as the harness's
// multiple-choice process_results makes them.

/** (gold, pred): a document's label and the model's choice. */
export type Pair = readonly [gold: number, pred: number];

/**
 * sklearn's `matthews_corrcoef(golds, preds)` (the multi-class form, which is the binary one for two
 * labels): (c·s − Σ_k p_k·t_k) / √((s² − Σ p_k²)(s² − Σ t_k²)), 0 when either factor is 0.
 */
export function matthewsCorrcoef(items: readonly Pair[]): number {
  const t = new Map<number, number>();
  const p = new Map<number, number>();
  let correct = 0;
  for (const [gold, pred] of items) {
    t.set(gold, (t.get(gold) ?? 0) + 1);
    p.set(pred, (p.get(pred) ?? 0) + 1);
    if (gold === pred) correct++;
  }
  const s = items.length;
  const labels = new Set([...t.keys(), ...p.keys()]);
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (const k of labels) {
    tp += (t.get(k) ?? 0) * (p.get(k) ?? 0);
    pp += (p.get(k) ?? 0) ** 2;
    tt += (t.get(k) ?? 0) ** 2;
  }
  const covYtYp = correct * s - tp;
  const covYpYp = s * s - pp;
  const covYtYt = s * s - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

/** F1 of the label `positive`: 2·TP / (2·TP + FP + FN), 0 when nothing is positive (sklearn's zero_division). */
export function f1Of(items: readonly Pair[], positive: number): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [gold, pred] of items) {
    if (pred === positive && gold === positive) tp++;
    else if (pred === positive) fp++;
    else if (gold === positive) fn++;
  }
  const denominator = 2 * tp + fp + fn;
  return denominator === 0 ? 0 : (2 * tp) / denominator;
}

/** sklearn's binary `f1_score(golds, preds)` (label 1 positive): the harness's `f1` aggregation. */
export function binaryF1(items: readonly Pair[]): number {
  return f1Of(items, 1);
}

/** CB's `cb_multi_fi`: the mean of the one-vs-rest F1 of labels 0, 1 and 2. */
export function cbMultiF1(items: readonly Pair[]): number {
  return (f1Of(items, 0) + f1Of(items, 1) + f1Of(items, 2)) / 3;
}
