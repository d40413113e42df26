import { describe, expect, it } from 'vitest';
import { ConfigError, countParams, createConfig, padVocabSize, preset, rotaryDims, validateConfig } from './index.js';

describe('config', () => {
  it('pads the GPT-NeoX-20B vocabulary to 50,304 (make_vocab_size_divisible_by 128)', () => {
    expect(padVocabSize(50277)).toBe(50304);
    expect(padVocabSize(50257)).toBe(50304);
    expect(padVocabSize(128)).toBe(128);
  });

  it('presets have the parameter counts of the released models (reference §3.1)', () => {
    const millions = (n: number) => Math.round(n / 1e5) / 10;
    expect(millions(countParams(preset('tokenformer-150m')))).toBe(151.9);
    expect(millions(countParams(preset('tokenformer-450m')))).toBe(454.2);
    expect(millions(countParams(preset('tokenformer-900m')))).toBe(903.3);
    expect(millions(countParams(preset('tokenformer-1.5b')))).toBe(1587.2);
    expect(millions(countParams(preset('tokenformer-124m-owt')))).toBe(123.6);
    // the bench config of the speed issue: 5.24M parameters
    expect(millions(countParams(preset('bench')))).toBe(5.2);
  });

  it('derives rotary dims per head as int(headDim * rotaryPct): 16, 16, 20, 24 for the released sizes', () => {
    expect(['tokenformer-150m', 'tokenformer-450m', 'tokenformer-900m', 'tokenformer-1.5b'].map((p) => rotaryDims(preset(p as never)))).toEqual([16, 16, 20, 24]);
  });

  it('rejects bad values with the field, the value and the limit', () => {
    const ok = { vocabSize: 10, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 4, projSlotNum: 4, ffnSlotNum: 4 };
    expect(() => createConfig({ ...ok, hiddenSize: 15 })).toThrow(/hiddenSize 15 is not divisible by numAttentionHeads 2/);
    expect(() => createConfig({ ...ok, numLayers: 0 })).toThrow(/numLayers must be an integer >= 1, got 0/);
    expect(() => createConfig({ ...ok, rotaryPct: 1.5 })).toThrow(/rotaryPct must be in \[0, 1\], got 1.5/);
    expect(() => createConfig({ ...ok, rotaryPct: 0.125 })).toThrow(/int\(8 \* 0.125\) = 1 must be even/);
    expect(() => createConfig({ ...ok, normActivationType: 'relu' as never })).toThrow(ConfigError);
    const c = createConfig(ok);
    expect(() => validateConfig({ ...c, layers: [] })).toThrow(/layers must list 1 layers/);
    const bad = structuredClone(c);
    bad.layers[0]!.ffn.tau = -2;
    expect(() => validateConfig(bad)).toThrow(/layers\[0\].ffn.tau must be a finite number > 0, got -2/);
    expect(() => preset('nope' as never)).toThrow(/unknown preset "nope"/);
  });
});
