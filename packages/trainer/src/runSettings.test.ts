// Run settings: a partial object is completed with the documented defaults and checked; an unknown
// key or a bad value is an error naming it, before any file is opened.
import { describe, expect, it } from 'vitest';
import { preset } from '@tokenformer/model';
import { TrainerConfigError } from './errors.js';
import { completeRunSettings, DEFAULT_RUN_SETTINGS } from './runSettings.js';

const config = preset('tiny');

describe('completeRunSettings', () => {
  it('completes a partial object: the defaults, seqLength from the model, a 1% warmup', () => {
    const s = completeRunSettings({ trainData: 'data/x', steps: 250 }, config);
    expect(s).toMatchObject({ ...DEFAULT_RUN_SETTINGS, trainData: 'data/x', steps: 250, seqLength: config.maxSeqLen, warmupSteps: 3 });
    expect(s.decaySteps).toBeUndefined();
    expect(completeRunSettings({ trainData: 'd', warmupSteps: 0, seqLength: 4 }, config)).toMatchObject({ warmupSteps: 0, seqLength: 4, steps: 1000 });
  });

  it.each([
    [{ trainData: 'd', stpes: 10 }, /unknown key "stpes"/],
    [{ steps: 10 }, /trainData .* is required/],
    [{ trainData: 'd', steps: '10' }, /steps = "10" should be a number/],
    [{ trainData: 'd', steps: 0 }, /steps = 0 must be an integer >= 1/],
    [{ trainData: 'd', batchSize: 2.5 }, /batchSize = 2.5 must be an integer >= 1/],
    [{ trainData: 'd', seqLength: 1e6 }, /seqLength = 1000000 is over the model's maxSeqLen/],
    [{ trainData: 'd', maxLr: Number.NaN }, /maxLr = NaN must be a finite number > 0/],
    [{ trainData: 'd', minLr: 1 }, /minLr = 1 must be in \[0, maxLr/],
    [{ trainData: 'd', schedule: 'cosin' }, /schedule = "cosin"/],
    [{ trainData: 'd', growAt: -1 }, /growAt = -1: grow after a step in 1..999 \(not -1\)/],
    [{ trainData: 'd', growAt: [5, 'x'] }, /growAt = \[5,"x"\]: grow after a step/],
  ])('refuses %j', (input, message) => {
    expect(() => completeRunSettings(input as never, config)).toThrow(TrainerConfigError);
    expect(() => completeRunSettings(input as never, config)).toThrow(message);
  });
});
