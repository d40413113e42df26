// Pattention as a tfjs-layers layer: it computes the `pattention` op with its weights, builds into
// tf.sequential and tf.model, trains with model.fit, and round-trips through tfjs-layers' own
// save/load (getConfig + the registered class) to the same predictions.
import * as tfl from '@tensorflow/tfjs-layers';
import { expectAllClose, tensorsLeakedBy, tf, useBackend } from '@tokenformer/testing';
import { describe, expect, it } from 'vitest';
import { PattentionConfigError } from '../errors.js';
import { pattention } from '../pattention.js';
import { PattentionLayer, pattentionLayer } from './index.js';

describe('PattentionLayer (tfjs-layers) [cpu]', () => {
  it('computes the pattention op with its own weights, in the official layouts', async () => {
    await useBackend('cpu');
    const layer = pattentionLayer({ outputChannels: 3, paramTokenNum: 8, normActivationType: 'gelu_l2_norm', seed: 2 });
    const x = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 7); // [B, T, d1]
    const y = layer.apply(x); // typed: a Tensor for a Tensor
    expect(y.shape).toEqual([2, 5, 3]);
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[8, 4], [8, 3]]);
    const [k, v] = layer.getWeights() as [tf.Tensor2D, tf.Tensor2D]; // the layer's own values (not copies)
    const z = pattention(x, k, v, { normActivationType: 'gelu_l2_norm' });
    expectAllClose(await y.data(), await z.data(), 0, 0);
    tf.dispose([x, y, z]);
    layer.dispose();
  });

  it('trains in tf.sequential with fit, and round-trips through tfjs-layers save/load', async () => {
    await useBackend('cpu');
    const model = tfl.sequential({ layers: [new PattentionLayer({ inputShape: [4], outputChannels: 1, paramTokenNum: 16, normActivationType: 'softmax', seed: 1 })] });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const x = tf.randomUniform([64, 4], -1, 1, 'float32', 3); // [N, 4]
    const y = tf.sum(x, 1, true); // [N, 1]: the sum of the inputs
    const history = await model.fit(x, y, { epochs: 40, batchSize: 16, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);

    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    expect(JSON.stringify(artifacts!.modelTopology)).toContain('"class_name":"TokenFormerPattention"');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expectAllClose(await a.data(), await b.data(), 0, 0);
    expect((loaded.layers[0] as PattentionLayer).getConfig()).toMatchObject({ outputChannels: 1, paramTokenNum: 16, normActivationType: 'softmax', tau: null, seed: 1 });
    tf.dispose([x, y, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('builds into a functional tf.model, predicts without leaking, and refuses bad options', async () => {
    await useBackend('cpu');
    const input = tfl.input({ shape: [6, 4] });
    const hidden = new PattentionLayer({ outputChannels: 8, paramTokenNum: 12, seed: 5 }).apply(input);
    const output = new PattentionLayer({ outputChannels: 2, paramTokenNum: 12, seed: 6 }).apply(hidden);
    const model = tfl.model({ inputs: input, outputs: output });
    expect(model.outputs[0]!.shape).toEqual([null, 6, 2]);
    const x = tf.ones([3, 6, 4]);
    const leaked = await tensorsLeakedBy(() => tf.dispose(model.predict(x) as tf.Tensor));
    expect(leaked).toBe(0);
    x.dispose();
    model.dispose();
    expect(() => new PattentionLayer({ outputChannels: 0, paramTokenNum: 4 })).toThrow(PattentionConfigError);
    expect(() => new PattentionLayer({ outputChannels: 2, paramTokenNum: 4, normActivationType: 'relu' as never })).toThrow(/normActivationType "relu"/);
    expect(() => new PattentionLayer({ outputChannels: 2, paramTokenNum: 4, tau: -1 })).toThrow(/tau must be a finite number > 0/);
  });
});
