// kill -9 at random moments of a tiny run (checkpoints every step, so many kills land inside a
// checkpoint write), resumed each time until it finishes: the final checkpoint is byte-identical
// to an uninterrupted run's, no temporary files are left, and metrics.jsonl holds each step once.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'tokenformer-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'prepared');
const STEPS = 80;
const train = (out: string) => [cli, 'train', '--data', data, '--out', out, '--backend', 'cpu', `--steps=${STEPS}`, '--checkpointEvery=1', '--keepLast=2', '--validEvery=4', '--validBatches=1', '--seqLength=16', '--batchSize=2', '--warmupSteps=1',
  '--model.hiddenSize=16', '--model.numLayers=1', '--model.numAttentionHeads=2', '--model.qkvSlotNum=8', '--model.projSlotNum=8', '--model.ffnSlotNum=16', '--model.maxSeqLen=32'];

beforeAll(() => {
  writeFileSync(join(dir, 'corpus.txt'), 'It was the best of times, it was the worst of times, it was the age of wisdom. '.repeat(60));
  const r = spawnSync(process.execPath, [cli, 'prepare', '--corpus', join(dir, 'corpus.txt'), '--out', data, '--vocab', '300', '--valid', '0'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}, 60_000);

/** Runs train, killing it with SIGKILL after `ms` (or letting it finish when `ms` is null); true when it finished. */
function runFor(out: string, ms: number | null): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, train(out), { stdio: 'ignore' });
    const timer = ms === null ? undefined : setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

describe('kill -9 during training', () => {
  it('resumes to the same final bytes as an uninterrupted run, leaving nothing behind', async () => {
    const straight = join(dir, 'straight');
    expect(await runFor(straight, null)).toBe(true);
    const killed = join(dir, 'killed');
    let seed = 7;
    let kills = 0;
    for (let attempt = 0; attempt < 12; attempt++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const finished = await runFor(killed, attempt < 8 ? 700 + (seed % 3000) : null); // the last tries run to the end
      if (finished) break;
      kills++;
    }
    console.log(`${kills} kills before the run finished`);
    expect(kills).toBeGreaterThan(0);
    const last = join('checkpoints', String(STEPS));
    for (const file of ['model.safetensors', 'optimizer.safetensors', 'config.json']) {
      expect(readFileSync(join(killed, last, file)).equals(readFileSync(join(straight, last, file))), file).toBe(true);
    }
    expect(readdirSync(join(killed, 'checkpoints')).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(existsSync(join(killed, 'latest'))).toBe(true);
    const steps = readFileSync(join(killed, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'step').map((l) => l.step);
    expect(steps).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  }, 240_000);
});
