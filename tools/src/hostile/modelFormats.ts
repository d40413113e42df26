// Hostile files of the model side: checkpoints (config.json, model.safetensors), optimizer state,
// trainer state, official pytorch_model.bin (zip + pickle) and its GPT-NeoX arguments.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { preset, serializeCheckpoint, TokenFormer } from '@tokenformer/model';
import { exportOfficialToFile, importOfficialToDir, loadCheckpoint } from '@tokenformer/model/node';
import { deserializeOptimizerState, serializeOptimizerState, TrainStep } from '@tokenformer/trainer';
import { parseTrainerState } from '@tokenformer/trainer/node';
import { bitFlips, replaced, truncations, utf8, type Mutant } from './mutate.js';
import type { HostileFormat } from './runner.js';

/** A digest of a model's config and weights (disposes the model): what a reader made of a file. */
export async function weightsDigest(model: TokenFormer): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(model.config));
  for (const [name, t] of model.exportWeights()) {
    hash.update(name).update(new Uint8Array(((await t.data()) as Float32Array).buffer));
    t.dispose();
  }
  model.dispose();
  return hash.digest('hex');
}

export async function modelFormats(work: string): Promise<HostileFormat[]> {
  const model = new TokenFormer(preset('tiny'), { seed: 1 });
  const { config, weights } = await serializeCheckpoint(model);
  const step = new TrainStep(model);
  await step.run([{ data: Int32Array.from({ length: 34 }, (_, i) => (i * 7) % 200), shape: [2, 17] }], 1e-3);
  const state = step.state();
  const optimizer = await serializeOptimizerState(state);
  tf.dispose([...state.moments.values()]);
  step.dispose();
  const official = join(work, 'official.bin');
  const neoxArgs = await exportOfficialToFile(model, official);
  model.dispose();
  const officialBytes = new Uint8Array(readFileSync(official));
  const header = 8 + Number(new DataView(weights.buffer, weights.byteOffset).getBigUint64(0, true));

  const checkpoint = (file: 'config.json' | 'model.safetensors') => (dir: string, bytes: Uint8Array): string => {
    writeFileSync(join(dir, 'config.json'), file === 'config.json' ? bytes : config);
    writeFileSync(join(dir, 'model.safetensors'), file === 'model.safetensors' ? bytes : weights);
    return dir;
  };
  const readCheckpoint = async (dir: string) => weightsDigest(await loadCheckpoint(dir));
  const nan = (offset: number, value: number): Mutant => {
    const bytes = weights.slice();
    new DataView(bytes.buffer).setFloat32(offset, value, true);
    return { name: `weight at byte ${offset} set to ${value}`, bytes };
  };
  const configText = config;
  const trainerState = JSON.stringify({
    format: 'tokenformer-trainer/1', step: 4, settings: { steps: 8, microBatches: 2, seed: 1 }, samplerCursor: { format: 'tokenformer-sampler/1', nextBatch: 8 },
    bestValidationLoss: 3.25, bestStep: 4, nonFiniteSteps: 0, backend: 'cpu',
  });

  return [
    {
      format: 'model.safetensors',
      base: weights,
      mutants: [
        ...truncations(weights, 20),
        ...bitFlips(weights, 30, 0, header), // the length and the JSON header
        ...[header + 16, header + 4000, weights.length - 4].flatMap((o) => [nan(o, Number.NaN), nan(o, Infinity), nan(o, -Infinity)]),
        { name: 'header length 2^63', bytes: (() => { const b = weights.slice(); new DataView(b.buffer).setBigUint64(0, 1n << 63n, true); return b; })() },
        { name: 'header length 0', bytes: (() => { const b = weights.slice(); new DataView(b.buffer).setBigUint64(0, 0n, true); return b; })() },
      ],
      place: checkpoint('model.safetensors'),
      read: readCheckpoint,
      accepts: 'a bit flip inside a header string that keeps it valid (safetensors has no checksum)',
    },
    {
      format: 'config.json',
      base: utf8(configText),
      mutants: [
        ...truncations(utf8(configText), 10),
        ...replaced(configText, '"maxSeqLen": 128', ['"maxSeqLen": 1e9', '"maxSeqLen": 1e12', '"maxSeqLen": -1', '"maxSeqLen": "abc"', '"maxSeqLen": 0.5', '"maxSeqLen": null']),
        ...replaced(configText, '"vocabSize": 256', ['"vocabSize": 1e12', '"vocabSize": 255', '"vocabSize": []', '"vocabSize": 257']),
        ...replaced(configText, '"hiddenSize": 32', ['"hiddenSize": 33', '"hiddenSize": 1e6', '"hiddenSize": -32', '"hiddenSize": "32"']),
        ...replaced(configText, '"numLayers": 2', ['"numLayers": 3', '"numLayers": 1', '"numLayers": 1e5', '"numLayers": 0']),
        ...replaced(configText, '"normActivationType": "l2_norm_gelu"', ['"normActivationType": "relu"', '"normActivationType": 1', '"normActivationType": null']),
        ...replaced(configText, '"format": "tokenformer-ts/1"', ['"format": "tokenformer-ts/9"', '"format": 1']),
        { name: 'a JSON array', bytes: utf8('[]') },
        { name: 'not JSON', bytes: utf8('{"vocabSize": ') },
      ],
      place: checkpoint('config.json'),
      read: readCheckpoint,
      accepts: 'none expected',
    },
    {
      format: 'optimizer.safetensors',
      base: optimizer,
      mutants: [...truncations(optimizer, 12), ...bitFlips(optimizer, 12, 0, 400)],
      place: (dir, bytes) => {
        writeFileSync(join(dir, 'optimizer.safetensors'), bytes);
        return join(dir, 'optimizer.safetensors');
      },
      read: async (file) => {
        // as a resumed run reads it (restoreOptimizer names the file in its errors)
        const into = new TrainStep(new TokenFormer(preset('tiny'), { seed: 1 }));
        let s: ReturnType<typeof deserializeOptimizerState> | undefined;
        try {
          s = deserializeOptimizerState(new Uint8Array(readFileSync(file)));
          into.loadState(s); // the shapes checked against the model's
        } catch (e) {
          (e as Error).message = `${file}: ${(e as Error).message}`;
          throw e;
        } finally {
          if (s) tf.dispose([...s.moments.values()]);
          into.dispose();
          into.model.dispose();
        }
        return createHash('sha256').update(readFileSync(file)).digest('hex');
      },
      wrapsErrors: true,
      accepts: 'a flip inside a header string that keeps it valid (no checksum)',
    },
    {
      format: 'trainer_state.json',
      base: utf8(trainerState),
      mutants: [
        ...truncations(utf8(trainerState), 8),
        ...replaced(trainerState, '"step":4', ['"step":-5', '"step":1e9', '"step":"4"', '"step":4.5', '"step":null']),
        ...replaced(trainerState, '"nextBatch":8', ['"nextBatch":1e12', '"nextBatch":-1', '"nextBatch":7']),
        ...replaced(trainerState, '"settings":{"steps":8,"microBatches":2,"seed":1}', ['"settings":null', '"settings":{"steps":0,"microBatches":2}', '"settings":{"steps":8}']),
        ...replaced(trainerState, '"nonFiniteSteps":0', ['"nonFiniteSteps":-3', '"nonFiniteSteps":"x"']),
        ...replaced(trainerState, '"bestValidationLoss":3.25', ['"bestValidationLoss":"low"', '"bestValidationLoss":{}']),
      ],
      place: (dir, bytes) => {
        writeFileSync(join(dir, 'trainer_state.json'), bytes);
        return join(dir, 'trainer_state.json');
      },
      read: async (file) => JSON.stringify(parseTrainerState(readFileSync(file, 'utf8'), file)),
      accepts: 'none expected',
    },
    {
      format: 'pytorch_model.bin',
      base: officialBytes,
      mutants: [...truncations(officialBytes, 15), ...bitFlips(officialBytes, 15, 0, 600), ...bitFlips(officialBytes, 10, officialBytes.length - 1500, officialBytes.length)],
      place: (dir, bytes) => {
        writeFileSync(join(dir, 'pytorch_model.bin'), bytes);
        return join(dir, 'pytorch_model.bin');
      },
      read: async (file) => {
        const out = join(file, '..', 'imported');
        await importOfficialToDir(file, neoxArgs, out);
        return weightsDigest(await loadCheckpoint(out));
      },
      accepts: 'a flip in a zip or pickle field that is not checked, or in float data that stays finite (no checksum)',
    },
    {
      format: 'GPT-NeoX arguments',
      base: utf8(JSON.stringify(neoxArgs)),
      mutants: Object.keys(neoxArgs).slice(0, 6).flatMap((key) =>
        ['"abc"', '1e12', '-1', 'null'].map((v) => ({ name: `${key}: ${v}`, bytes: utf8(JSON.stringify({ ...neoxArgs, [key]: JSON.parse(v) })) })),
      ),
      place: (dir, bytes) => {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'neox.json'), bytes);
        return join(dir, 'neox.json');
      },
      read: async (file) => {
        const out = join(file, '..', 'imported');
        try {
          await importOfficialToDir(official, JSON.parse(readFileSync(file, 'utf8')), out);
        } catch (e) {
          (e as Error).message = `${file}: ${(e as Error).message}`;
          throw e;
        }
        return weightsDigest(await loadCheckpoint(out));
      },
      wrapsErrors: true,
      accepts: 'a key the import does not read, or a value equal in effect',
    },
  ];
}
