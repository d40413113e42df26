// The house rules of DESIGN.md that code can check: no import cycles between source files, no app
// imported by another package or app, no backend names compared outside packages/kernels, no backend
// package imported by a published package, no source file over 300 lines, and published packages
// that ship their LICENSE and whose READMEs link only to absolute URLs (a relative link points at a
// file the tarball does not hold).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const roots = [
  ...readdirSync(join(ROOT, 'packages')).map((p) => join(ROOT, 'packages', p, 'src')),
  ...readdirSync(join(ROOT, 'apps')).map((p) => join(ROOT, 'apps', p, 'src')),
  join(ROOT, 'tools', 'src'),
  join(ROOT, 'tools', 'testing', 'src'),
];
const files = roots.flatMap(sourceFiles);
const isTest = (f: string) => /\.test(-helper)?\.ts$/.test(f) || f.endsWith('.test-helper.ts');
const rel = (f: string) => relative(ROOT, f);

/** The specifiers a file imports (static and dynamic, re-exports included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) {
    specs.push((m[1] ?? m[2] ?? m[3])!);
  }
  return specs;
}

describe('the house', () => {
  it('has no import cycles between source files', () => {
    const graph = new Map<string, string[]>();
    for (const f of files.filter((f) => !isTest(f))) {
      graph.set(
        f,
        importsOf(f)
          .filter((s) => s.startsWith('.'))
          .map((s) => resolve(dirname(f), s.replace(/\.js$/, '.ts'))),
      );
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map(rel).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const g of graph.get(f) ?? []) visit(g, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('imports no app from another package, app or tool', () => {
    const appNames = readdirSync(join(ROOT, 'apps')).map((a) => (JSON.parse(readFileSync(join(ROOT, 'apps', a, 'package.json'), 'utf8')) as { name: string }).name);
    const offenders = files.flatMap((f) => importsOf(f).filter((s) => appNames.some((n) => s === n || s.startsWith(`${n}/`))).map((s) => `${rel(f)}: ${s}`));
    expect(offenders).toEqual([]);
  });

  it('compares no backend name and imports no backend outside packages/kernels (packages only)', () => {
    const published = files.filter((f) => rel(f).startsWith('packages/') && !rel(f).startsWith('packages/kernels/') && !rel(f).startsWith('packages/node-runtime/') && !isTest(f));
    const offenders: string[] = [];
    for (const f of published) {
      const text = readFileSync(f, 'utf8');
      if (/getBackend\(\)\s*[!=]==?|[!=]==?\s*tf\.getBackend\(\)|['"](wasm|webgpu|cpu|tensorflow)['"]\s*[!=]==?|[!=]==?\s*['"](wasm|webgpu|cpu|tensorflow)['"]/.test(text)) offenders.push(`${rel(f)}: compares a backend name`);
      for (const s of importsOf(f)) if (/^@tensorflow\/tfjs-(backend-|node)/.test(s) || s === '@tensorflow/tfjs') offenders.push(`${rel(f)}: imports ${s}`);
    }
    expect(offenders).toEqual([]);
  });

  it('has no source file over 300 lines', () => {
    const long = files.map((f) => [rel(f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });

  it('ships a LICENSE with every published package, and links from its README only to absolute URLs', () => {
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    for (const p of readdirSync(join(ROOT, 'packages'))) {
      const dir = join(ROOT, 'packages', p);
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { private?: boolean }).private) continue;
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8'), `packages/${p}/LICENSE`).toBe(license);
      const relativeLinks = [...readFileSync(join(dir, 'README.md'), 'utf8').matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!).filter((l) => !/^(https?:|#)/.test(l));
      expect(relativeLinks, `packages/${p}/README.md`).toEqual([]);
    }
  });
});
