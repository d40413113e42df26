// A small SVG line chart for the live curves: series of [x, y] points (a line, or dots), vertical
// markers (growth steps), axes labelled with their ranges. No library: a few hundred points a run.
const NS = 'http://www.w3.org/2000/svg';

export interface Series {
  points: [number, number][];
  color: string;
  dots?: boolean;
  label: string;
}

function el(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export function drawChart(svg: SVGSVGElement, series: Series[], markers: number[], xMax: number): void {
  const W = 560;
  const H = 200;
  const pad = { l: 48, r: 8, t: 18, b: 22 };
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.replaceChildren();
  const ys = series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  if (ys.length === 0) return;
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const x = (v: number) => pad.l + (v / Math.max(1, xMax)) * (W - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - lo) / (hi - lo)) * (H - pad.t - pad.b);
  svg.append(el('line', { x1: pad.l, y1: H - pad.b, x2: W - pad.r, y2: H - pad.b, stroke: '#888' }), el('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: H - pad.b, stroke: '#888' }));
  svg.append(el('text', { x: 2, y: pad.t + 4, 'font-size': 11 }, hi.toPrecision(4)), el('text', { x: 2, y: H - pad.b, 'font-size': 11 }, lo.toPrecision(4)));
  svg.append(el('text', { x: W - pad.r, y: H - 4, 'font-size': 11, 'text-anchor': 'end' }, `step ${xMax}`));
  for (const m of markers) {
    svg.append(el('line', { x1: x(m), y1: pad.t, x2: x(m), y2: H - pad.b, stroke: '#c60', 'stroke-dasharray': '4 3' }), el('text', { x: x(m) + 3, y: pad.t + 10, 'font-size': 11, fill: '#c60' }, `grow @${m}`));
  }
  series.forEach((s, i) => {
    svg.append(el('text', { x: pad.l + 8 + i * 150, y: 12, 'font-size': 11, fill: s.color }, s.label));
    const pts = s.points.filter(([, v]) => Number.isFinite(v));
    if (s.dots) for (const [px, py] of pts) svg.append(el('circle', { cx: x(px), cy: y(py), r: 3, fill: s.color }));
    else if (pts.length > 0) svg.append(el('polyline', { points: pts.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' '), fill: 'none', stroke: s.color, 'stroke-width': 1.5 }));
  });
}
