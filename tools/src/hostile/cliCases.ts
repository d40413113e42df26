// Wrong invocations of the two CLIs, as careless users type them: each must end, fast, with exit 2
// (bad usage) or 1 (bad data), a one-line message naming the option or file, and no stack trace.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliCase {
  bin: 'tokenformer' | 'tokenformer-eval';
  args: string[];
  status: 1 | 2;
  /** What the message must say. */
  says: RegExp;
}

export interface CliResult extends CliCase {
  got: number | null;
  stderr: string;
  ms: number;
}

/** The cases, over a checkpoint directory `ckpt` and a folder `dir` to write into. */
export function cliCases(ckpt: string, dir: string): CliCase[] {
  const t = (args: string[], status: 1 | 2, says: RegExp): CliCase => ({ bin: 'tokenformer', args, status, says });
  const e = (args: string[], status: 1 | 2, says: RegExp): CliCase => ({ bin: 'tokenformer-eval', args, status, says });
  const missing = join(dir, 'no-such-dir');
  const cases: CliCase[] = [
    t(['frobnicate'], 2, /unknown command "frobnicate"/),
    t(['prepare'], 2, /prepare needs --out/),
    t(['generate'], 2, /generate needs --checkpoint/),
    t(['grow'], 2, /grow needs --checkpoint DIR and --out DIR/),
    t(['prune'], 2, /prune needs --checkpoint/),
    t(['import'], 2, /import needs --from/),
    t(['export'], 2, /export needs --checkpoint/),
    t(['train'], 2, /--data/),
  ];
  for (const cmd of ['prepare', 'train', 'generate', 'grow', 'prune', 'import', 'export', 'demo']) cases.push(t([cmd, '--bogus'], 2, /--bogus|unknown/i));
  for (const [opt, v] of [['--max-new-tokens', ''], ['--max-new-tokens', 'abc'], ['--max-new-tokens', 'NaN'], ['--max-new-tokens', '1e400'], ['--temperature', 'x'], ['--temperature', ''], ['--top-k', 'many'], ['--top-p', ''], ['--seed', 'x'], ['--backend', 'nope']] as const) {
    cases.push(t(['generate', '--checkpoint', ckpt, opt, v], 2, new RegExp(`${opt}|backend`)));
  }
  for (const [opt, v] of [['--add-ffn', 'x'], ['--add-ffn', ''], ['--add-qkv', 'lots'], ['--seed', 'x'], ['--layers', 'a,b'], ['--init', 'ones'], ['--tau', 'maybe']] as const) {
    cases.push(t(['grow', '--checkpoint', ckpt, '--out', join(dir, `g-${opt}-${v}`), ...(opt.startsWith('--add') ? [] : ['--add-ffn', '4']), opt, v], 2, new RegExp(`${opt.slice(2)}|init|tau|layer`)));
  }
  for (const [opt, v, says] of [['--add-ffn', '-4', /ambiguous|negative/], ['--add-ffn', '2.5', /fraction|integer|2\.5/], ['--layers', '99', /layer|99/], ['--layers', '-1', /ambiguous|layer/], ['--add-query', '-1', /ambiguous|negative/]] as const) {
    cases.push(t(['grow', '--checkpoint', ckpt, '--out', join(dir, `g2-${opt}-${v}`), ...(opt.startsWith('--add') ? [] : ['--add-ffn', '4']), opt, v, '--backend', 'cpu'], 2, says));
  }
  for (const [opt, v] of [['--slots', 'nope'], ['--tau', 'x'], ['--batches', '0'], ['--seq-length', 'x'], ['--batch-size', '']] as const) {
    cases.push(t(['prune', '--checkpoint', ckpt, '--out', join(dir, `p2-${opt}-${v}`), '--data', join(dir, 'nodata'), '--keep', '0.5', opt, v, '--backend', 'cpu'], 2, new RegExp(`${opt.slice(2)}|slot|tau`)));
  }
  for (const v of ['x', '0', '2', '-1', '']) cases.push(t(['prune', '--checkpoint', ckpt, '--out', join(dir, `p-${v}`), '--data', join(dir, 'nodata'), '--keep', v], 2, /keep/));
  for (const [opt, v] of [['--vocab', '10'], ['--vocab', 'x'], ['--vocab', ''], ['--valid', 'x'], ['--seed', 'y'], ['--field', '']] as const) {
    cases.push(t(['prepare', '--out', join(dir, `prep-${opt}-${v}`), opt, v], 2, new RegExp(opt.slice(2))));
  }
  for (const a of ['--stpes=10', '--model.width=3', '--steps=many', '--threads', '--schedule=7', '--model=7', '--growAt=[5,"x"]', '--newTokenLrScale=fast']) cases.push(t(['train', '--data', dir, '--out', join(dir, 'r'), a], 2, /unknown|should be|threads|model/));
  for (const v of ['0', '-1', 'x', '1.5']) cases.push(t(['train', '--data', dir, '--out', join(dir, 'r'), '--threads', v], 2, /--threads/));
  cases.push(
    t(['demo', '--out', join(dir, 'demo'), '--threads', '0'], 2, /--threads "0"/),
    t(['demo', '--out', join(dir, 'demo'), '--vocab', 'many'], 2, /--vocab/),
    e(['perplexity', '--checkpoint', ckpt, '--text', join(dir, 't.txt'), '--limit', '0'], 2, /--limit "0"/),
    e(['perplexity', '--checkpoint', ckpt, '--text', join(dir, 't.txt'), '--batch-size', 'x'], 2, /--batch-size "x"/),
  );
  // data errors (exit 1), naming the path
  cases.push(
    t(['generate', '--checkpoint', missing], 1, /no-such-dir/),
    t(['grow', '--checkpoint', missing, '--out', join(dir, 'g'), '--add-ffn', '4'], 1, /no-such-dir/),
    t(['export', '--checkpoint', missing, '--out', join(dir, 'x.bin')], 1, /no-such-dir/),
    t(['import', '--from', join(dir, 'none.bin'), '--config', join(dir, 'none.yml'), '--out', join(dir, 'i')], 1, /none\.(bin|yml)/),
    t(['train', '--data', missing, '--out', join(dir, 'r')], 1, /no-such-dir/),
    t(['prepare', '--corpus', join(dir, 'none.txt'), '--out', join(dir, 'pp')], 1, /none\.txt/),
    t(['generate', '--checkpoint', ckpt, '--tokenizer', join(dir, 'none.json')], 1, /none\.json/),
  );
  // outputs that would overwrite inputs (exit 2)
  cases.push(
    t(['grow', '--checkpoint', ckpt, '--out', ckpt, '--add-ffn', '4'], 2, /is the input --checkpoint/),
    t(['grow', '--checkpoint', ckpt, '--out', join(ckpt, 'in'), '--add-ffn', '4'], 2, /inside the input/),
    t(['export', '--checkpoint', ckpt, '--out', join(ckpt, 'model.safetensors')], 2, /inside the input/),
    t(['export', '--checkpoint', ckpt, '--out', join(dir, 'e.bin'), '--config-out', join(ckpt, 'config.json')], 2, /inside the input/),
    t(['prune', '--checkpoint', ckpt, '--out', ckpt, '--data', dir, '--keep', '0.5'], 2, /is the input --checkpoint/),
    t(['import', '--from', join(ckpt, 'model.safetensors'), '--config', join(dir, 'c.yml'), '--out', ckpt], 2, /holds the input --from/),
  );
  // tokenformer-eval
  cases.push(
    e(['--bogus'], 2, /bogus/),
    e(['--tasks', 'piqa'], 2, /--checkpoint DIR is required/),
    e(['--checkpoint', ckpt], 2, /--tasks LIST and --data-dir DIR are required/),
    e(['--checkpoint', ckpt, '--tasks', '', '--data-dir', dir], 2, /--tasks lists no task/),
    e(['--checkpoint', ckpt, '--tasks', 'nope', '--data-dir', dir], 1, /unknown task "nope"/),
    e(['--checkpoint', ckpt, '--tasks', 'piqa', '--data-dir', missing], 1, /no-such-dir/),
    e(['--checkpoint', missing, '--tasks', 'piqa', '--data-dir', dir], 1, /no-such-dir/),
    e(['perplexity', '--checkpoint', ckpt], 1, /--text FILE .* or --dataset PREFIX/),
    e(['perplexity', '--checkpoint', ckpt, '--text', join(dir, 'none.txt')], 1, /none\.txt/),
    e(['perplexity', '--checkpoint', ckpt, '--dataset', join(dir, 'none')], 1, /none/),
    e(['perplexity', '--checkpoint', ckpt, '--text', join(dir, 'empty-folder')], 1, /empty-folder: no text to score/),
    e(['perplexity', '--checkpoint', ckpt, '--text', join(dir, 't.txt'), '--output', join(ckpt, 'model.safetensors')], 2, /inside the input --checkpoint/),
    // a checkpoint .zip that is not one, and a file that is not a zip
    t(['generate', '--checkpoint', join(dir, 'bad.zip'), '--backend', 'cpu'], 1, /bad\.zip: no end-of-central-directory record/),
    e(['perplexity', '--checkpoint', join(dir, 'bad.zip'), '--text', join(dir, 't.txt'), '--backend', 'cpu'], 1, /bad\.zip: no end-of-central-directory record/),
    t(['generate', '--checkpoint', join(dir, 't.txt'), '--backend', 'cpu'], 1, /t\.txt is neither a checkpoint directory/),
    t(['generate', '--checkpoint', ckpt, '--pattention-top-k', '0', '--backend', 'cpu'], 2, /--pattention-top-k "0" must be an integer >= 1/),
  );
  for (const [opt, v] of [['--limit', '0'], ['--limit', ''], ['--limit', 'x'], ['--batch-size', '0'], ['--batch-size', '-2'], ['--max-length', '0'], ['--bootstrap-iters', 'x'], ['--backend', 'nope']] as const) {
    cases.push(e(['--checkpoint', ckpt, '--tasks', 'piqa', '--data-dir', dir, opt, v], 2, new RegExp(`${opt}|backend`)));
  }
  return cases;
}

/** Runs every case, `parallel` at a time, each killed after `timeoutMs` (a hang). */
export async function runCliCases(cases: CliCase[], bins: Record<CliCase['bin'], string>, parallel = 3, timeoutMs = 30_000): Promise<CliResult[]> {
  const results: CliResult[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i]!;
      const t0 = Date.now();
      results[i] = await new Promise<CliResult>((resolve) => {
        const child = spawn(process.execPath, [bins[c.bin], ...c.args], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ ...c, got: code, stderr, ms: Date.now() - t0 });
        });
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}
