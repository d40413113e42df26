// Every package as a newcomer meets it: packed, installed alone from its tarball with exactly its
// README's install line, and its README's quick start run as written (DESIGN.md's contract), then its examples/ type-checked
// against the packed types and run.
import { describe, expect, it } from 'vitest';
import { packCheck } from './packCheck.js';

const PACKAGES = ['data', 'evaluator', 'growth', 'kernels', 'model', 'pattention', 'tokenizer', 'trainer'].map((n) => `@tokenformer/${n}`);

/** What each quick start must print: independent facts (an identity, a round trip, a known value). */
const EXPECTED: Record<string, RegExp[]> = {
  '@tokenformer/kernels': [/^wasm true 1 5 9 13 2 6 10 14 3 7 11 15 4 8 12 16$/m, /registered: .*TokenFormerTranspose2D/],
  '@tokenformer/pattention': [/^layer: 56 parameters, output shape 2x3$/m, /^sum of values: 10 on wasm$/m, /^tensors left: 0$/m],
  '@tokenformer/model': [/^41024 parameters on wasm$/m, /^loss 5\.\d+ nats/m, /^generated( \d+){8} \| same after a checkpoint round trip: true$/m],
  '@tokenformer/tokenizer': [/^tokens: the \| Ġlazy \| Ġfox \| <\|endoftext\|>$/m, /decodes back: true$/m, /round trip: true$/m],
  '@tokenformer/data': [/^data\/quick_text_document 3 documents 79 tokens uint16$/m, /^batch 2x17 \| resumed batch is the same: true$/m, /same first batch: true$/m],
  '@tokenformer/trainer': [/^steps 40 on wasm: loss 5\.\d\d -> [0-4]\.\d\d, checkpoint runs\/quick\/checkpoints\/40$/m],
  '@tokenformer/growth': [/^parameters: 41024 -> 57408$/m, /^max \|logit difference\|: 0 \| loss (\d\.\d{4}) -> \1$/m],
  '@tokenformer/evaluator': [/^[1-8] tokens generated$/m, /^tokens 8 perplexity \d+\.\d /m, /\| lambada_openai \| 1 \| perplexity \| \d+\.\d+ \|/, /\| lambada_openai \| 1 \| acc \|/],
};

describe('every package packs, installs alone from its tarball, and its README quick start runs as written', () => {
  it('kernels, pattention, model, tokenizer, data, trainer, growth and evaluator', () => {
    const report = packCheck();
    expect(report.packages.map((p) => p.name).sort()).toEqual(PACKAGES);
    for (const p of report.packages) {
      // LICENSE, README, package.json and dist only; declarations one per source file, no hashed chunks
      expect(p.files.filter((f) => !['LICENSE', 'README.md', 'package.json'].includes(f) && !f.startsWith('dist/')), p.name).toEqual([]);
      for (const f of ['LICENSE', 'README.md', 'dist/index.js', 'dist/index.d.ts']) expect(p.files, p.name).toContain(f);
      expect(p.files.filter((f) => /-[A-Za-z0-9_-]{8}\.d\.ts$/.test(f) || f.includes('.test')), p.name).toEqual([]);
      const output = report.quickStarts.get(p.name)!.output;
      for (const pattern of EXPECTED[p.name]!) expect(output, `${p.name} quick start printed:\n${output}`).toMatch(pattern);
      // examples/*.ts: type-checked (--strict) against the packed types and run; each throws if what it shows does not hold
      const examples = report.quickStarts.get(p.name)!.examples;
      if (p.name !== '@tokenformer/kernels') expect(examples.size, `${p.name} examples/`).toBeGreaterThan(0);
      for (const [file, out] of examples) expect(out.trim().length, `${p.name} examples/${file}`).toBeGreaterThan(0);
    }
    expect(report.packages.find((p) => p.name === '@tokenformer/model')!.files).toEqual(expect.arrayContaining(['dist/node.js', 'dist/node.d.ts', 'dist/official/index.d.ts']));
    expect(report.packages.find((p) => p.name === '@tokenformer/kernels')!.files).toContain('dist/wasm/index.d.ts');
    // the quick starts of packages without tensors install no tfjs
    expect(report.quickStarts.get('@tokenformer/tokenizer')!.installedBytes).toBeLessThan(2e6);
    expect(report.quickStarts.get('@tokenformer/data')!.installedBytes).toBeLessThan(2e6);
  }, 600_000);
});
