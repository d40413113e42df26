// Training on WebGPU in Node (the `webgpu` package, Dawn; here on SwiftShader's software Vulkan):
// full trainer steps give the losses and weights the cpu backend gives. The same test runs on a
// machine with a GPU, where Dawn finds the real adapter.
import { backendMatrix, useBackend } from '@tokenformer/testing';
import { preset, TokenFormer } from '@tokenformer/model';
import { describe, expect, it } from 'vitest';
import { TrainStep, type TokenBatch } from './trainStep.js';

const webgpu = (await backendMatrix()).find((b) => b.name === 'webgpu')!;

async function train(backend: 'cpu' | 'webgpu'): Promise<{ losses: number[]; weights: Float32Array[] }> {
  await useBackend(backend);
  const model = new TokenFormer(preset('tiny'), { seed: 1 });
  const step = new TrainStep(model, { weightDecay: 0.1, clip: 1.0 });
  const rows = [Array.from({ length: 33 }, (_, i) => (i * 7) % 50), Array.from({ length: 33 }, (_, i) => (i * 3 + 5) % 60)];
  const batch: TokenBatch = { data: Int32Array.from(rows.flat()), shape: [2, 33] };
  const losses: number[] = [];
  for (let i = 0; i < 6; i++) losses.push((await step.run([batch], 3e-3)).loss);
  const weights: Float32Array[] = [];
  for (const { variable } of model.namedVariables().values()) weights.push((await variable.data()) as Float32Array);
  step.dispose();
  model.dispose();
  return { losses, weights };
}

describe.skipIf(!webgpu.available)(`training on Dawn WebGPU in Node${webgpu.available ? '' : ` (skipped: ${webgpu.reason})`}`, () => {
  it('six AdamW steps (clipping, weight decay) give the cpu backend\'s losses and weights', async () => {
    const cpu = await train('cpu');
    const gpu = await train('webgpu');
    console.info(`cpu losses ${cpu.losses.map((l) => l.toFixed(6)).join(', ')}; webgpu ${gpu.losses.map((l) => l.toFixed(6)).join(', ')}`);
    const rel = (i: number) => Math.abs(gpu.losses[i]! - cpu.losses[i]!) / cpu.losses[i]!;
    // The first two losses (the initial weights, then one AdamW update) agree to float rounding.
    expect(rel(0)).toBeLessThan(1e-5);
    expect(rel(1)).toBeLessThan(1e-5);
    // After that the runs drift apart slowly: Adam's early updates are ±lr for every weight whose
    // gradient is near zero, so a rounding difference that flips such a gradient's sign moves that
    // weight by 2·lr. Measured on SwiftShader: 5e-4 relative at step 3, 1.6e-3 at step 6.
    for (let i = 2; i < cpu.losses.length; i++) expect(rel(i)).toBeLessThan(5e-3);
    expect(gpu.losses[5]!).toBeLessThan(gpu.losses[0]!);
    let worst = 0;
    cpu.weights.forEach((w, t) => w.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - gpu.weights[t]![i]!)))));
    console.info(`Dawn vs cpu after 6 steps: losses ${gpu.losses.map((l) => l.toFixed(5)).join(', ')}; max |Δweight| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(6 * 2 * 3e-3); // at most 2·lr per step for a flipped sign
  }, 120_000);
});
