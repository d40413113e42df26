// Zero-shot multiple choice as lm-evaluation-harness scores it (PIQA: which solution fits the goal),
// on rows built in memory, with accuracy, length-normalised accuracy and their standard errors.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { evaluate, resultsTable, rowsOf, TASKS, TokenFormerLM } from '@tokenformer/evaluator';
import { createConfig, TokenFormer } from '@tokenformer/model';
import { BpeTrainer } from '@tokenformer/tokenizer';

await tf.setBackend('wasm');
const trainer = new BpeTrainer({ vocabSize: 320, specialTokens: ['<|endoftext|>'] });
trainer.feed('To open a jar, twist the lid. To boil water, heat it in a pot. To dry a towel, hang it in the sun. '.repeat(20));
const tokenizer = trainer.train();
const config = createConfig({ vocabSize: 320, hiddenSize: 32, numLayers: 2, numAttentionHeads: 2, qkvSlotNum: 16, projSlotNum: 16, ffnSlotNum: 64, maxSeqLen: 64 });
const lm = new TokenFormerLM(new TokenFormer(config, { seed: 2 }), tokenizer, { batchSize: 4 });

const rows = rowsOf([
  { goal: 'To open a jar', sol1: 'twist the lid.', sol2: 'hang it in the sun.', label: 0 },
  { goal: 'To boil water', sol1: 'twist the lid.', sol2: 'heat it in a pot.', label: 1 },
  { goal: 'To dry a towel', sol1: 'hang it in the sun.', sol2: 'heat it in a pot.', label: 0 },
], 'piqa (in memory)');
const piqa = TASKS.get('piqa');
if (!piqa) throw new Error('no piqa task');
const results = await evaluate(lm, [{ task: piqa, rows }], { bootstrapIters: 100 });
console.log(resultsTable(results));
const acc = results.results.piqa?.['acc,none'];
if (typeof acc !== 'number' || acc < 0 || acc > 1) throw new Error(`accuracy ${acc}`);
lm.dispose();
