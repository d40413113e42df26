// Packs every publishable package with pnpm and, for each, runs its README's quick start as a
// newcomer would: in an empty folder outside the workspace, `npm install` with exactly the README's
// package list (our own names mapped to the tarballs, and the tarballs of the packages they depend
// on, which the registry would give), then `node quickstart.mjs` with exactly the README's script.
// A README that drifts from the code fails here.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readQuickStart } from './quickStart.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PackedPackage {
  name: string;
  dir: string;
  tarball: string;
  files: string[];
  /** Bytes of the .tgz, and of its files unpacked. */
  packedBytes: number;
  unpackedBytes: number;
  /** Our packages it depends on (names). */
  dependsOn: string[];
}

/** pnpm as the running script was started (npx pnpm@... sets npm_execpath), else from PATH. */
const execPath = process.env.npm_execpath ?? '';
const pnpm = /pnpm/.test(execPath) && execPath.endsWith('.cjs') ? [process.execPath, execPath] : ['pnpm'];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `pnpm pack` of every non-private package under packages/, with the files each tarball holds. */
export function packAll(destination: string): PackedPackage[] {
  const packed: PackedPackage[] = [];
  for (const dir of readdirSync(join(ROOT, 'packages'))) {
    const pkgDir = join(ROOT, 'packages', dir);
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { name: string; private?: boolean; dependencies?: Record<string, string> };
    if (pkg.private) continue;
    const out = run(pnpm[0]!, [...pnpm.slice(1), 'pack', '--pack-destination', destination, '--json'], pkgDir);
    const info = JSON.parse(out) as { filename: string; files: { path: string }[] };
    const files = info.files.map((f) => f.path).sort();
    packed.push({
      name: pkg.name,
      dir: pkgDir,
      tarball: info.filename,
      files,
      packedBytes: statSync(info.filename).size,
      unpackedBytes: files.reduce((sum, f) => sum + statSync(join(pkgDir, f)).size, 0),
      dependsOn: Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@tokenformer/')),
    });
  }
  return packed;
}

/** Bytes of every file under `dir`. */
function treeBytes(dir: string): number {
  let sum = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sum += treeBytes(p);
    else if (e.isFile()) sum += statSync(p).size;
  }
  return sum;
}

export interface QuickStartRun {
  name: string;
  /** The README's install list, and what npm was given for it. */
  install: string[];
  /** What `node quickstart.mjs` printed. */
  output: string;
  /** Bytes of node_modules after the install (the package, its dependencies and the tfjs packages named). */
  installedBytes: number;
  /** The package's examples/*.ts, type-checked (--strict) against the installed packages and run: file -> output. */
  examples: Map<string, string>;
}

/** TypeScript and Node's types, installed once from the registry for type-checking the examples. */
function typescriptIn(base: string): string {
  const dir = join(base, 'typescript');
  if (!existsSync(dir)) {
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'pack-check-typescript', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'typescript@5.9.3', '@types/node@^20.19.0'], dir);
  }
  return dir;
}

/** Type-checks (strict) and runs the package's examples/*.ts in the folder its quick start installed. */
function runExamples(base: string, p: PackedPackage, dir: string): Map<string, string> {
  const outputs = new Map<string, string>();
  const source = join(p.dir, 'examples');
  if (!existsSync(source)) return outputs;
  const ts = typescriptIn(base);
  cpSync(source, join(dir, 'examples'), { recursive: true });
  const compilerOptions = { strict: true, noUncheckedIndexedAccess: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', outDir: 'out', rootDir: 'examples', skipLibCheck: true, types: ['node'], typeRoots: [join(ts, 'node_modules', '@types')] };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['examples/*.ts'] }));
  try {
    run(process.execPath, [join(ts, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir);
  } catch (e) {
    throw new Error(`${p.name}: examples/ do not type-check against the packed package\n${(e as { stdout?: string }).stdout ?? ''}`);
  }
  for (const file of readdirSync(source).filter((f) => f.endsWith('.ts')).sort()) {
    try {
      outputs.set(file, run('node', [join('out', file.replace(/\.ts$/, '.js'))], dir));
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`${p.name}: examples/${file} failed\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }
  }
  return outputs;
}

/** The README's words with our packages mapped to tarballs, plus the tarballs of what they depend on. */
function npmArguments(words: string[], packages: PackedPackage[]): string[] {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const ours = new Set<string>();
  const add = (name: string): void => {
    const p = byName.get(name);
    if (!p) throw new Error(`${name} is not a package of this repository`);
    if (ours.has(name)) return;
    ours.add(name);
    for (const d of p.dependsOn) add(d);
  };
  const others = words.filter((w) => (w.startsWith('@tokenformer/') ? (add(w), false) : true));
  return [...[...ours].map((n) => byName.get(n)!.tarball), ...others];
}

/** Installs the README's packages into a new folder and runs its quick-start script there as ESM. */
export function runQuickStart(base: string, p: PackedPackage, packages: PackedPackage[]): QuickStartRun {
  const { install, script } = readQuickStart(readFileSync(join(p.dir, 'README.md'), 'utf8'), `${p.name}/README.md`);
  const dir = join(base, p.name.replace('@tokenformer/', 'quickstart-'));
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `pack-check-${p.name.replace('@tokenformer/', '')}`, private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...npmArguments(install, packages)], dir);
  writeFileSync(join(dir, 'quickstart.mjs'), script);
  let output: string;
  try {
    output = run('node', ['quickstart.mjs'], dir);
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`${p.name}: the README's quick start failed\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
  const installedBytes = treeBytes(join(dir, 'node_modules'));
  return { name: p.name, install, output, installedBytes, examples: runExamples(base, p, dir) };
}


export interface PackReport {
  packages: PackedPackage[];
  quickStarts: Map<string, QuickStartRun>;
}

/** Packs every package and runs every README's quick start from the tarballs. */
export function packCheck(only: string[] = []): PackReport {
  const base = mkdtempSync(join(tmpdir(), 'tokenformer-pack-'));
  try {
    const packages = packAll(base);
    const chosen = only.length === 0 ? packages : packages.filter((p) => only.includes(p.name.replace('@tokenformer/', '')));
    const quickStarts = new Map(chosen.map((p) => [p.name, runQuickStart(base, p, packages)]));
    return { packages, quickStarts };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

const kB = (n: number) => `${(n / 1024).toFixed(0)} kB`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = packCheck(process.argv.slice(2)); // names (without @tokenformer/) to run only those quick starts
  for (const p of report.packages) {
    const q = report.quickStarts.get(p.name);
    if (!q) continue;
    console.log(`${p.name}: packed ${kB(p.packedBytes)}, unpacked ${kB(p.unpackedBytes)}, quick-start install ${(q.installedBytes / 1e6).toFixed(1)} MB (${q.install.join(' ')})`);
    console.log(q.output.trim().replace(/^/gm, '    '));
    for (const [file, out] of q.examples) console.log(`  examples/${file}\n${out.trim().replace(/^/gm, '    ')}`);
  }
}
