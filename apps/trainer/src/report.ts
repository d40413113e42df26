// The run report: report.md beside metrics.jsonl, with loss / validation-loss and learning-rate
// curves drawn as SVG (no plotting dependency: polylines on a scaled grid).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '@tokenformer/node-runtime';

interface Point {
  x: number;
  y: number;
}

export interface ReportInfo {
  title: string;
  backend: string;
  config: unknown;
  unigramEntropy: number | null;
  params: number;
  sample?: string;
  /** A markdown section (e.g. the held-out evaluation) placed after the sample. */
  evaluation?: string;
}

export interface ReportSummary {
  steps: number;
  tokensPerSec: number;
  firstValidationLoss: number | null;
  lastValidationLoss: number | null;
  unigramEntropy: number | null;
  reportPath: string;
}

export function svgChart(title: string, series: { name: string; color: string; points: Point[] }[], yLabel: string, xLabel = 'step'): string {
  const W = 640;
  const H = 280;
  const m = { l: 60, r: 20, t: 30, b: 40 };
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="40"><text x="10" y="25">${title}: no data</text></svg>`;
  const x0 = Math.min(...all.map((p) => p.x));
  const x1 = Math.max(...all.map((p) => p.x), x0 + 1);
  let y0 = Math.min(...all.map((p) => p.y));
  let y1 = Math.max(...all.map((p) => p.y));
  if (y1 - y0 < 1e-12) {
    y0 -= 1;
    y1 += 1;
  }
  const sx = (x: number): number => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number): number => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => y0 + f * (y1 - y0));
  const fmt = (v: number): string => (Math.abs(v) < 0.01 ? v.toExponential(1) : v.toFixed(2));
  const lines = series
    .map((s) => `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ')}"/>`)
    .join('');
  const legend = series.map((s, i) => `<text x="${W - m.r - 6}" y="${m.t + 12 + i * 14}" fill="${s.color}" font-size="11" text-anchor="end">${s.name}</text>`).join(''); // top right, one per line
  const grid = ticks.map((t) => `<line x1="${m.l}" x2="${W - m.r}" y1="${sy(t)}" y2="${sy(t)}" stroke="#ddd"/><text x="${m.l - 6}" y="${sy(t) + 4}" font-size="10" text-anchor="end">${fmt(t)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><text x="${W / 2}" y="14" text-anchor="middle" font-size="13">${title}</text>${grid}${legend}${lines}<text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="11">${xLabel}</text><text x="14" y="${H / 2}" font-size="11" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">${yLabel}</text><text x="${m.l}" y="${H - m.b + 14}" font-size="10">${x0}</text><text x="${W - m.r}" y="${H - m.b + 14}" font-size="10" text-anchor="end">${x1}</text></svg>`;
}

/** The records of a run's metrics.jsonl (steps, validations, checkpoints, growth), in order. */
export function readMetrics(runDir: string): Record<string, number | string | boolean>[] {
  return readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, number | string | boolean>);
}

/** Write report.md, loss.svg and lr.svg into the run directory from its metrics.jsonl. */
export function writeReport(runDir: string, info: ReportInfo): ReportSummary {
  const rows = readMetrics(runDir);
  const steps = rows.filter((r) => r.type === 'step');
  const vals = rows.filter((r) => r.type === 'validation');
  const smooth: Point[] = [];
  let ema: number | null = null;
  for (const r of steps) {
    if (r.skipped) continue;
    ema = ema === null ? (r.loss as number) : 0.9 * ema + 0.1 * (r.loss as number);
    smooth.push({ x: r.step as number, y: ema });
  }
  writeFileAtomically(
    join(runDir, 'loss.svg'),
    svgChart('loss (nats/token)', [
      { name: 'training (EMA 0.9)', color: '#1f77b4', points: smooth },
      { name: 'validation', color: '#d62728', points: vals.map((r) => ({ x: r.step as number, y: r.loss as number })) },
      ...(info.unigramEntropy !== null && steps.length > 0
        ? [{ name: '0.8 × unigram entropy', color: '#999', points: [{ x: steps[0]!.step as number, y: 0.8 * info.unigramEntropy }, { x: steps[steps.length - 1]!.step as number, y: 0.8 * info.unigramEntropy }] }]
        : []),
    ], 'nats/token'),
  );
  writeFileAtomically(join(runDir, 'lr.svg'), svgChart('learning rate', [{ name: 'lr', color: '#2ca02c', points: steps.map((r) => ({ x: r.step as number, y: r.lr as number })) }], 'lr'));
  const tps = steps.map((r) => r.tokensPerSec as number).filter(Number.isFinite);
  const tokensPerSec = tps.length ? tps.slice(Math.min(3, tps.length - 1)).reduce((a, b) => a + b, 0) / Math.max(1, tps.length - Math.min(3, tps.length - 1)) : 0;
  const first = vals.length ? (vals[0]!.loss as number) : null;
  const last = vals.length ? (vals[vals.length - 1]!.loss as number) : null;
  const h = info.unigramEntropy;
  const md = `# ${info.title}

| | |
|---|---|
| backend | ${info.backend} |
| parameters | ${info.params.toLocaleString('en')} |
| steps | ${steps.length ? steps[steps.length - 1]!.step : 0} |
| training throughput | ${Math.round(tokensPerSec)} tokens/s |
| first validation loss | ${first?.toFixed(4) ?? '—'} nats/token |
| last validation loss | ${last?.toFixed(4) ?? '—'} nats/token |
| unigram entropy of the training split | ${h?.toFixed(4) ?? '—'} nats/token |
| last validation loss / unigram entropy | ${h && last ? (last / h).toFixed(3) : '—'} |
| skipped (non-finite) steps | ${steps.filter((r) => r.skipped).length} |

![loss](loss.svg)

![learning rate](lr.svg)
${info.sample !== undefined ? `\n## Sample\n\n\`\`\`\n${info.sample}\n\`\`\`\n` : ''}${info.evaluation !== undefined ? `\n${info.evaluation}` : ''}
## Configuration

\`\`\`json
${JSON.stringify(info.config, null, 2)}
\`\`\`
`;
  const reportPath = join(runDir, 'report.md');
  writeFileAtomically(reportPath, md);
  return { steps: steps.length, tokensPerSec, firstValidationLoss: first, lastValidationLoss: last, unigramEntropy: h, reportPath };
}
