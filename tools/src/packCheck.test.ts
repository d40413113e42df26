import { describe, expect, it } from 'vitest';
import { packCheck } from './packCheck.js';

describe('every package packs, installs alone from its tarball, and imports', () => {
  it('kernels, pattention, model, tokenizer, data, trainer, growth and evaluator', () => {
    const report = packCheck();
    const names = report.packages.map((p) => p.name).sort();
    expect(names).toEqual(['@tokenformer/data', '@tokenformer/evaluator', '@tokenformer/growth', '@tokenformer/kernels', '@tokenformer/model', '@tokenformer/pattention', '@tokenformer/tokenizer', '@tokenformer/trainer']);
    for (const p of report.packages) {
      expect(p.files, p.name).toContain('dist/index.js');
      expect(p.files, p.name).toContain('dist/index.d.ts');
      expect(p.files, p.name).toContain('README.md');
      expect(p.files.filter((f) => f.startsWith('src/') || f.includes('.test.')), p.name).toEqual([]);
    }
    expect(report.packages.find((p) => p.name === '@tokenformer/model')!.files).toContain('dist/node.js');
    expect(report.packages.find((p) => p.name === '@tokenformer/kernels')!.files).toContain('dist/wasm/index.js');
    expect(report.kernelsAlone).toEqual({ backend: 'wasm', registered: 8, has: true, xT: [1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15, 4, 8, 12, 16] });
    expect(report.pattentionAlone).toEqual({ shape: [2, 3], finite: true });
    expect(report.modelAlone.backend).toBe('wasm');
    expect(report.modelAlone.loss).toBeGreaterThan(0);
    expect(report.modelAlone.ids).toHaveLength(4);
    expect(report.packages.find((p) => p.name === '@tokenformer/tokenizer')!.files).toContain('dist/node.js');
    // the tiny training text runs out of pairs before 300 tokens: special + 256 bytes + its merges
    expect(report.tokenizerAlone.vocabSize).toBeGreaterThan(257);
    expect(report.tokenizerAlone.vocabSize).toBeLessThanOrEqual(300);
    expect(report.trainerAlone).toEqual({ steps: 2, falling: true, node: 'function' });
    expect(report.growthAlone).toEqual({ ffn: 8, maxAbsLogitDiff: 0 });
    expect(report.evaluatorAlone).toEqual({ tasks: 7, perplexity: true, samples: 2 });
    expect(report.dataAlone).toEqual({ documents: 5, shape: [2, 65], dtype: 'uint16' });
    expect(report.tokenizerAlone).toMatchObject({ text: 'the lazy fox<|endoftext|>', same: true });
  }, 300_000);
});
