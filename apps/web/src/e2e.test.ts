// The page in a real browser: Debian's Chromium, headless, driven by playwright-core, with a
// software WebGPU adapter (SwiftShader, --enable-unsafe-webgpu). A tiny checkpoint is served next
// to the built page; greedy generation in the browser must give the ids Node's cpu backend gives,
// on WebGPU (the test fails if the page is on any other backend), and on wasm when the user picks
// it because WebGPU is missing. Screenshots go to .test-results/web/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { TokenFormerLM } from '@tokenformer/evaluator/node';
import { CAUSAL_ATTENTION, GATHER_ROWS, L2_NORM_GELU, LAYER_NORM, MATMUL, ROTARY } from '@tokenformer/kernels';
import { createConfig, TokenFormer } from '@tokenformer/model';
import { exportOfficialToFile, importOfficialToDir, loadCheckpoint, saveCheckpoint } from '@tokenformer/model/node';
import { NEOX_20B_TOKENIZER, npmAsset } from '@tokenformer/testing/text';
import { BpeTrainer, Tokenizer } from '@tokenformer/tokenizer';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openBrowser, servePage, shots, type ServedPage } from './browser.test-helper.js';

const PROMPT = 'the quick brown';
const NEW_TOKENS = 12;

let served: ServedPage;
let tmp: string;
let baseUrl: string;
let expected: number[];
let expectedText: string;

async function openPage(webgpu: boolean, query: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openBrowser(tmp, webgpu);
  await opened.page.goto(`${baseUrl}${query}`);
  return opened;
}

async function finished(page: Page): Promise<{ state: string; backend: string; ids: number[]; text: string }> {
  await page.waitForSelector('#output[data-state="done"], #output[data-state="error"]', { timeout: 120_000 });
  return page.evaluate(() => {
    const o = document.getElementById('output')!;
    return { state: o.dataset.state!, backend: o.dataset.backend!, ids: JSON.parse(o.dataset.ids ?? '[]') as number[], text: o.textContent ?? '' };
  });
}

describe.skipIf(!hasChromium)('the web page in headless Chromium', () => {
  beforeAll(async () => {
    served = await servePage('tokenformer-web-', async (outDir) => {
      // A tiny checkpoint with its own tokenizer, served beside the page.
      await tf.setBackend('cpu');
      const trainer = new BpeTrainer({ vocabSize: 300, specialTokens: ['<|endoftext|>'] });
      trainer.feed('the quick brown fox jumps over the lazy dog, and the dog sleeps in the sun. '.repeat(30));
      const tokenizer = trainer.train();
      const model = new TokenFormer(createConfig({ vocabSize: 300, hiddenSize: 32, numLayers: 2, numAttentionHeads: 4, qkvSlotNum: 16, projSlotNum: 16, ffnSlotNum: 64, maxSeqLen: 64 }), { seed: 3 });
      await saveCheckpoint(model, join(outDir, 'models', 'tiny'), { extraFiles: { 'tokenizer.json': tokenizer.toString() } });
      model.dispose();
      // what the API gives in Node for the page's options: the page must show the same ids
      const lm = await TokenFormerLM.load(join(outDir, 'models', 'tiny'));
      const g = await lm.generate(PROMPT, { maxNewTokens: NEW_TOKENS, temperature: 0 });
      lm.dispose();
      expected = g.ids;
      expectedText = PROMPT + g.text;
    });
    ({ tmp, baseUrl } = served);
  }, 120_000);

  afterAll(() => served?.close());

  const query = `?model=models/tiny/&prompt=${encodeURIComponent(PROMPT)}&max_new_tokens=${NEW_TOKENS}&temperature=0&run=1`;

  it('generates on WebGPU, with our WebGPU kernels, the same greedy ids as Node\'s cpu backend, and shows them', async () => {
    const { context, page } = await openPage(true, query);
    try {
      const r = await finished(page);
      await page.screenshot({ path: join(shots, 'webgpu.png'), fullPage: true });
      expect(r.state, r.text).toBe('done');
      expect(r.backend).toBe('webgpu');
      const kernels = JSON.parse((await page.locator('#output').getAttribute('data-kernels'))!) as string[];
      for (const k of [CAUSAL_ATTENTION, L2_NORM_GELU, LAYER_NORM, MATMUL, ROTARY, GATHER_ROWS]) expect(kernels).toContain(k);
      expect(r.ids).toEqual(expected);
      expect(r.text).toBe(expectedText);
      expect(await page.locator('#stats').textContent()).toMatch(/webgpu · \d+ tokens · [\d.]+ tokens\/s/);
      expect(await page.locator('#link').inputValue()).toContain('max_new_tokens=12');
      // the same ids with our kernels off (tfjs's own ops)
      await page.goto(`${baseUrl}${query}&kernels=stock`);
      const stock = await finished(page);
      expect(await page.locator('#output').getAttribute('data-kernels')).toBe('[]');
      expect(stock.ids).toEqual(expected);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('without WebGPU says so, and runs on wasm only when the user picks it', async () => {
    const { context, page } = await openPage(false, query);
    try {
      const r = await finished(page);
      expect(r.state).toBe('error');
      expect(r.backend).toBe('none');
      expect(await page.locator('#notice').textContent()).toMatch(/no WebGPU|no GPU adapter/);
      await page.screenshot({ path: join(shots, 'no-webgpu.png'), fullPage: true });
      await page.click('#use-wasm');
      await page.waitForURL(/backend=wasm/);
      const w = await finished(page);
      expect(w.state, w.text).toBe('done');
      expect(w.backend).toBe('wasm');
      expect(w.ids).toEqual(expected);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('loads picked files (no URLs, or one checkpoint .zip) and reports bad settings by name', async () => {
    const { context, page } = await openPage(true, `?prompt=${encodeURIComponent(PROMPT)}&max_new_tokens=${NEW_TOKENS}&temperature=0`);
    try {
      await finished(page);
      const dir = join(tmp, 'dist', 'models', 'tiny');
      await page.setInputFiles('#files', ['config.json', 'model.safetensors', 'tokenizer.json'].map((f) => join(dir, f)));
      await page.waitForFunction(() => !(document.getElementById('generate') as HTMLButtonElement).disabled, undefined, { timeout: 60_000 });
      await page.click('#generate');
      await page.waitForFunction(() => document.getElementById('output')!.dataset.ids !== '[]' && document.getElementById('output')!.dataset.state === 'done', undefined, { timeout: 120_000 });
      const r = await finished(page);
      expect(r.ids).toEqual(expected);
      // the same checkpoint as one .zip (what the training page downloads), zipped by Info-ZIP
      execFileSync('zip', ['-qr', join(tmp, 'tiny.zip'), 'tiny'], { cwd: join(tmp, 'dist', 'models') });
      await page.setInputFiles('#files', join(tmp, 'tiny.zip'));
      await page.waitForFunction(() => (document.getElementById('status')!.textContent ?? '').startsWith('Loaded tiny.zip'), undefined, { timeout: 60_000 });
      await page.click('#generate');
      await page.waitForFunction(() => document.getElementById('output')!.dataset.state === 'done' && document.getElementById('output')!.dataset.ids !== '[]', undefined, { timeout: 120_000 });
      expect((await finished(page)).ids).toEqual(expected);
      await page.goto(`${baseUrl}?model=models/tiny/&top_p=2`);
      const bad = await finished(page);
      expect(bad.state).toBe('error');
      expect(bad.text).toMatch(/top_p=2 must be in \(0, 1\]/);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('an official pytorch_model.bin imported with the GPT-NeoX-20B tokenizer generates in the page as in Node', async () => {
    // GPT-NeoX layout → tokenformer import (with 20B_tokenizer.json) → served beside the page.
    const tokenizerJson = readFileSync(npmAsset(NEOX_20B_TOKENIZER), 'utf8');
    const source = new TokenFormer(createConfig({ vocabSize: 50277, hiddenSize: 16, numLayers: 1, numAttentionHeads: 2, qkvSlotNum: 8, projSlotNum: 8, ffnSlotNum: 16, maxSeqLen: 32 }), { seed: 4 });
    await exportOfficialToFile(source, join(tmp, 'official', 'pytorch_model.bin'));
    source.dispose();
    const dir = join(tmp, 'dist', 'models', 'neox');
    await importOfficialToDir(join(tmp, 'official', 'pytorch_model.bin'), { num_attention_heads: 2, seq_length: 32 }, dir, { extraFiles: { 'tokenizer.json': tokenizerJson } });
    const neox = Tokenizer.fromJSON(tokenizerJson);
    const prompt = 'Hello, world! The café';
    const model = await loadCheckpoint(dir);
    const ids = await model.generate(neox.encodeIds(prompt, { addSpecialTokens: false }), { maxNewTokens: 8, temperature: 0, stop: [neox.tokenToId('<|endoftext|>')!] });
    model.dispose();
    const { context, page } = await openPage(true, `?model=models/neox/&prompt=${encodeURIComponent(prompt)}&max_new_tokens=8&temperature=0&run=1`);
    try {
      const r = await finished(page);
      expect(r.state, r.text).toBe('done');
      expect(r.backend).toBe('webgpu');
      expect(r.ids).toEqual(ids);
      expect(r.text).toBe(prompt + neox.decode(ids));
      expect(await page.locator('#status').textContent()).toMatch(/vocabulary 50304/);
    } finally {
      await context.close();
    }
  }, 180_000);
});
