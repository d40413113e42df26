// trainer_state.json is checked before a resume trusts it: a negative or impossible step, missing
// settings, a cursor that does not match the step, or a file that is not JSON are errors naming the
// file and the field (they used to train on from step -5, or exit 0 "finished").
import { describe, expect, it } from 'vitest';
import { TrainerConfigError } from './errors.js';
import { parseTrainerState } from './runState.js';

const valid = {
  format: 'tokenformer-trainer/1',
  step: 10,
  settings: { steps: 20, microBatches: 2, seed: 1 },
  samplerCursor: { format: 'tokenformer-sampler/1', nextBatch: 20 },
  bestValidationLoss: 3.5,
  bestStep: 8,
  nonFiniteSteps: 0,
  backend: 'cpu',
};
const file = 'run/checkpoints/10/trainer_state.json';

describe('parseTrainerState', () => {
  it('accepts a consistent state', () => {
    expect(parseTrainerState(JSON.stringify(valid), file).step).toBe(10);
  });

  it.each([
    ['a negative step', { step: -5 }, /step: -5 must be an integer in \[0, 20\]/],
    ['a step past the run', { step: 1e9 }, /step: 1000000000 must be an integer in \[0, 20\]/],
    ['no settings', { settings: undefined }, /settings: missing/],
    ['a cursor past the step', { samplerCursor: { ...valid.samplerCursor, nextBatch: 1e12 } }, /samplerCursor\.nextBatch: 1000000000000 is not the batch step 10 reached \(20\)/],
    ['another format', { format: 'x' }, /format: unknown trainer state format "x"/],
    ['a best loss that is not a number', { bestValidationLoss: 'low' }, /bestValidationLoss: "low" must be a finite number or null/],
    ['a negative count', { nonFiniteSteps: -1 }, /nonFiniteSteps: -1 is not a count/],
  ])('refuses %s, naming the file and field', (_, change, message) => {
    const text = JSON.stringify({ ...valid, ...change });
    expect(() => parseTrainerState(text, file)).toThrow(TrainerConfigError);
    expect(() => parseTrainerState(text, file)).toThrow(new RegExp(`${file.replace(/\//g, '\\/')}: .*${message.source}`));
  });

  it('refuses a file that is not JSON', () => {
    expect(() => parseTrainerState('{"step": 1', file)).toThrow(/trainer_state\.json: \(file\): not JSON/);
  });
});
