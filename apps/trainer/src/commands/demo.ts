// tokenformer demo: the main job
import { startBackend, type BackendChoice } from '@tokenformer/node-runtime';
import { DEMO_CONFIG, demo } from '../demo.js';
import { loadTrainConfig } from '../trainConfig.js';
import { count, BACKEND_HELP, num, str, stringOptions, type Command } from './command.js';

const help = `tokenformer demo [--out DIR] [--vocab N] [--backend B] [--key=value ...]

  The main job: the State of the Union corpus, a byte-level BPE trained on it (--vocab, 4096), a
  small TokenFormer trained on it, a sample, and DIR/run/report.md (DIR: runs/demo). Running it
  again reuses the prepared data and resumes training. --key=value overrides training settings.
  ${BACKEND_HELP}
  --threads N        wasm threads (default 1)`;

export const demoCommand: Command = {
  summary: 'the main job: prepare the embedded corpus, train, sample, report',
  help,
  options: stringOptions('out', 'vocab', 'backend', 'threads'),
  takesSettings: true,
  async run(values, overrides) {
    const config = loadTrainConfig(undefined, overrides, DEMO_CONFIG);
    const backend = await startBackend((str(values, 'backend') ?? 'auto') as BackendChoice, { threads: count('threads', values.threads, 1) });
    const started = Date.now();
    const s = await demo({ out: str(values, 'out') ?? 'runs/demo', vocabSize: num('vocab', values.vocab, 4096), backend, config });
    const minutes = ((Date.now() - started) / 60000).toFixed(1);
    console.log(`
main job done in ${minutes} min
  backend                 ${s.backend}
  training throughput     ${Math.round(s.tokensPerSec)} tokens/s
  validation loss         ${s.firstValidationLoss?.toFixed(3)} -> ${s.lastValidationLoss?.toFixed(3)} nats/token
  unigram entropy         ${s.unigramEntropy.toFixed(3)} nats/token (goal: loss <= ${(0.8 * s.unigramEntropy).toFixed(3)}; reached ${s.ratio?.toFixed(3)} x)
  sample                  ${JSON.stringify(s.sample)}
  held-out evaluation     ${s.evaluation.natsPerToken.toFixed(3)} nats/token, ${s.evaluation.bitsPerByte.toFixed(3)} bits/byte, token perplexity ${s.evaluation.tokenPerplexity.toFixed(1)}; cloze (${s.evaluation.clozeItems} passages) accuracy ${s.evaluation.clozeAcc.toFixed(3)}, perplexity of the word ${s.evaluation.clozePerplexity.toFixed(0)} (${s.evaluation.seconds.toFixed(0)} s)
  report                  ${s.report}
  in a browser            pnpm web  (streams ${s.page.maxNewTokens} tokens after ${JSON.stringify(s.page.prompt)}, a held-out prompt)
  grown exactly           ${s.growth.paramsBefore.toLocaleString('en-US')} -> ${s.growth.paramsAfter.toLocaleString('en-US')} parameters, max |logit change| ${s.growth.maxAbsLogitDiff.toExponential(1)} (${s.growth.checkpoint})`);
  },
};
