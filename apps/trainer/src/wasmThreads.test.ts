// wasm threads in Node start reliably: 100 fresh processes (the backend starts once per process)
// each start the threaded build with 2 threads, compute the same bits every time, the same matMul as
// the single-threaded build and the same model loss and gradients within rounding (with the fused
// Pattention kernels on the shared heap), and exit on their own (no worker holds the process open).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
// inside the app's node_modules, so the child resolves @tensorflow/* as the app does
const dir = mkdtempSync(join(app, 'node_modules', '.wasm-threads-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The child: start wasm with N threads, one matMul, one loss and gradient, print what happened, and end by itself.
const child = join(dir, 'child.mjs');
writeFileSync(child, `
import { startBackend } from '@tokenformer/node-runtime';
import * as tf from '@tensorflow/tfjs';
import { preset, TokenFormer } from '@tokenformer/model';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
await startBackend('wasm', { threads: Number(process.argv[2]) });
const a = tf.randomNormal([256, 256], 0, 1, 'float32', 1);
const b = tf.randomNormal([256, 256], 0, 1, 'float32', 2);
const c = await tf.matMul(a, b).data();
// a model's loss and gradients: the fused Pattention kernels run on the threaded build's shared heap
const model = new TokenFormer(preset('tiny'), { seed: 3 });
const ids = tf.tensor2d(Int32Array.from({ length: 2 * 33 }, (_, i) => (i * 37) % 256), [2, 33], 'int32');
const { value, grads } = tf.variableGrads(() => model.loss(ids), model.trainableVariables());
const g = await Promise.all(Object.values(grads).map((t) => t.data()));
console.log(JSON.stringify({ threads: getThreadsCount(), checksum: c.reduce((x, y) => x + y, 0), first: c[0], loss: (await value.data())[0], gradChecksum: g.reduce((x, d) => x + d.reduce((p, q) => p + q, 0), 0) }));
`);

function start(threads: number): Promise<{ code: number | null; out: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, [child, String(threads)], { cwd: app });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - t0 });
    });
  });
}

describe('wasm threads in Node', () => {
  it('start 100 times out of 100 with 2 threads, give the same bits each time, match the single-threaded build, and exit by themselves', async () => {
    const single = await start(1);
    expect(single.code, single.out).toBe(0);
    const reference = JSON.parse(single.out.trim().split('\n').pop()!);
    expect(reference.threads).toBe(1);
    const runs: { code: number | null; out: string; ms: number }[] = [];
    const queue = Array.from({ length: 100 }, (_, i) => i);
    await Promise.all(Array.from({ length: 3 }, async () => {
      while (queue.shift() !== undefined) runs.push(await start(2));
    }));
    const failures = runs.filter((r) => r.code !== 0);
    expect(failures.map((f) => f.out.slice(-300)), `${failures.length} of 100 starts failed`).toEqual([]);
    // every threaded start gives the same bits; against the single-threaded build, tf.matMul's are the
    // same (XNNPACK on both) and the model's agree within rounding (on one thread the model's products
    // run our relaxed-SIMD matMul, whose fused multiply-add rounds once)
    const results = runs.map((r) => JSON.parse(r.out.trim().split('\n').pop()!));
    for (const got of results) expect(got).toEqual(results[0]);
    const threaded = results[0];
    expect(threaded.threads).toBe(2);
    expect([threaded.checksum, threaded.first]).toEqual([reference.checksum, reference.first]);
    expect(Math.abs(threaded.loss - reference.loss)).toBeLessThan(1e-5 * Math.abs(reference.loss));
    expect(Math.abs(threaded.gradChecksum - reference.gradChecksum)).toBeLessThan(1e-4 * (1 + Math.abs(reference.gradChecksum)));
    const times = runs.map((r) => r.ms).sort((a, b) => a - b);
    console.info(`wasm threads: 100/100 starts; process time median ${times[50]} ms, max ${times[99]} ms`);
  }, 600_000);
});
