// `tokenformer generate` and the API are one text generation: the CLI prints exactly what
// TokenFormerLM.load(dir).generate gives for the same checkpoint and options (sampled and seeded,
// so every id counts), and the streamed pieces add up to the returned text.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { TokenFormerLM } from '@tokenformer/evaluator/node';
import { createConfig, TokenFormer } from '@tokenformer/model';
import { saveCheckpoint } from '@tokenformer/model/node';
import { BpeTrainer } from '@tokenformer/tokenizer';
import { afterAll, describe, expect, it } from 'vitest';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'tokenformer-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tokenformer generate and TokenFormerLM.generate', () => {
  it('give the same text for the same checkpoint and options (sampled, seeded)', async () => {
    await tf.setBackend('cpu');
    const trainer = new BpeTrainer({ vocabSize: 300, specialTokens: ['<|endoftext|>'] });
    trainer.feed('the lazy dog sleeps in the sun while the quick brown fox jumps. '.repeat(30));
    const model = new TokenFormer(createConfig({ vocabSize: 300, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 64 }), { seed: 4 });
    const ckpt = join(dir, 'ckpt');
    await saveCheckpoint(model, ckpt, { extraFiles: { 'tokenizer.json': trainer.train().toString() } });
    model.dispose();

    const r = spawnSync(process.execPath, [cli, 'generate', '--checkpoint', ckpt, '--prompt', 'the lazy', '--max-new-tokens', '12', '--temperature', '0.9', '--top-k', '20', '--top-p', '0.95', '--seed', '7', '--backend', 'cpu'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const lm = await TokenFormerLM.load(ckpt);
    const pieces: string[] = [];
    const g = await lm.generate('the lazy', { maxNewTokens: 12, temperature: 0.9, topK: 20, topP: 0.95, seed: 7, onText: (p) => pieces.push(p) });
    lm.dispose();
    expect(g.ids.length).toBeGreaterThan(0);
    expect(r.stdout).toBe(`the lazy${g.text}\n`);
    expect(pieces.join('')).toBe(g.text);
    // selective activation: --pattention-top-k K is the API's setPattentionTopK(K), greedy
    const args = ['generate', '--checkpoint', ckpt, '--prompt', 'the lazy', '--max-new-tokens', '12', '--temperature', '0', '--backend', 'cpu'];
    const sparse = spawnSync(process.execPath, [cli, ...args, '--pattention-top-k', '3'], { encoding: 'utf8' });
    expect(sparse.status, sparse.stderr).toBe(0);
    const again = await TokenFormerLM.load(ckpt);
    again.model.setPattentionTopK(3);
    expect(sparse.stdout).toBe(`the lazy${(await again.generate('the lazy', { maxNewTokens: 12, temperature: 0 })).text}\n`);
    again.dispose();
    // at or above every Pattention's token count: the full model's text
    const all = spawnSync(process.execPath, [cli, ...args, '--pattention-top-k', '16'], { encoding: 'utf8' });
    expect(all.stdout).toBe(spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' }).stdout);
  });
});
