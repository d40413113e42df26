// Building a Session: from scratch (a BPE tokenizer trained on the text, a preset sized to it), from a
// checkpoint (its config, weights and tokenizer), or from a saved run (checkpoint + optimizer + state +
// token data), which continues bit-identically on the same backend.
import { checkTokenizerFits, configFromJson, deserializeCheckpoint, preset, TokenFormer, type TokenFormerConfig } from '@tokenformer/model';
import { BpeTrainer, Tokenizer } from '@tokenformer/tokenizer';
import { deserializeOptimizerState } from '@tokenformer/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { CorpusError, splitTokens } from './corpus.js';
import { Session, STATE_FILE, type RunState } from './session.js';
import type { TrainSettings } from './settings.js';
import type { Files } from './storage.js';

export interface StartInput {
  settings: TrainSettings;
  documents: string[];
  /** A checkpoint to train on (config.json, model.safetensors, tokenizer.json); a fresh preset otherwise. */
  checkpoint?: Files;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function need(files: Files, name: string, where: string): Uint8Array {
  const f = files.get(name);
  if (!f) throw new Error(`${where} has no ${name}`);
  return f;
}

/** The token data a run keeps (written once): the training and held-out streams. */
function dataFiles(train: Int32Array, valid: Int32Array): Files {
  return new Map([
    ['train.i32', new Uint8Array(train.buffer.slice(train.byteOffset, train.byteOffset + train.byteLength))],
    ['valid.i32', new Uint8Array(valid.buffer.slice(valid.byteOffset, valid.byteOffset + valid.byteLength))],
  ]);
}

/** A new run: the tokenizer (trained, or the checkpoint's), the ids, the model. Returns it and its data files. */
export function newSession(input: StartInput, onPhase: (what: string) => void): { session: Session; data: Files } {
  const s = input.settings;
  if (input.documents.length === 0) throw new CorpusError('no text to train on: give a text URL, pick files or paste some text');
  let tokenizer: Tokenizer;
  let tokenizerJson: string;
  let config: TokenFormerConfig;
  let weights: Uint8Array | undefined;
  let configJson = '';
  if (input.checkpoint) {
    tokenizerJson = text(need(input.checkpoint, 'tokenizer.json', 'the checkpoint'));
    tokenizer = Tokenizer.fromJSON(tokenizerJson);
    configJson = text(need(input.checkpoint, 'config.json', 'the checkpoint'));
    config = configFromJson(configJson);
    weights = need(input.checkpoint, 'model.safetensors', 'the checkpoint');
    checkTokenizerFits(tokenizer.vocabSize(), config.vocabSize);
  } else {
    onPhase(`training a ${s.vocab}-token BPE tokenizer on ${input.documents.length} document(s)`);
    const trainer = new BpeTrainer({ vocabSize: s.vocab, specialTokens: ['<|endoftext|>'] });
    for (const d of input.documents) trainer.feed(d);
    tokenizer = trainer.train();
    tokenizerJson = tokenizer.toString();
    const base = preset(s.preset);
    config = preset(s.preset, { vocabSize: tokenizer.vocabSize(), maxSeqLen: Math.max(base.maxSeqLen, s.seq) });
  }
  if (s.seq > config.maxSeqLen) throw new Error(`seq=${s.seq} is over the model's context of ${config.maxSeqLen} tokens`);
  const eod = tokenizer.tokenToId('<|endoftext|>');
  if (eod === undefined) throw new Error('the tokenizer has no <|endoftext|> token to end documents with');
  onPhase(`encoding ${input.documents.length} document(s)`);
  const { train, valid } = splitTokens(input.documents.map((d) => tokenizer.encodeIds(d)), eod, s.batch, s.seq);
  onPhase(`building the model (${train.length} training tokens, ${valid.length} held out)`);
  const model: TokenFormer = weights ? deserializeCheckpoint(configJson, weights) : new TokenFormer(config, { seed: s.seed });
  const sampler = Session.sampler(train, s);
  const state: RunState = { format: 'tokenformer-web-train/1', step: 0, settings: s, samplerCursor: sampler.cursor(), losses: [], lrs: [], valid: [], grows: [], nonFiniteTotal: 0, seconds: 0 };
  return { session: new Session(model, tokenizer, tokenizerJson, sampler, valid, state), data: dataFiles(train, valid) };
}

/** A saved checkpoint's run state (trainer_state.json), format checked. */
export function savedRunState(checkpoint: Files): RunState {
  const state = JSON.parse(text(need(checkpoint, STATE_FILE, 'the saved run'))) as RunState;
  if (state.format !== 'tokenformer-web-train/1') throw new Error(`the saved run has an unknown format ${JSON.stringify(state.format)}`);
  return state;
}

/** A saved run, as it was at its last checkpoint (`state`: its savedRunState). */
export function resumeSession(saved: { data: Files; checkpoint: Files }, state: RunState = savedRunState(saved.checkpoint)): Session {
  const c = saved.checkpoint;
  const ints = (name: string) => {
    const b = need(saved.data, name, 'the saved run');
    return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const tokenizerJson = text(need(c, 'tokenizer.json', 'the saved run'));
  const model = deserializeCheckpoint(text(need(c, 'config.json', 'the saved run')), need(c, 'model.safetensors', 'the saved run'));
  const sampler = Session.sampler(ints('train.i32'), state.settings, state.samplerCursor);
  const session = new Session(model, Tokenizer.fromJSON(tokenizerJson), tokenizerJson, sampler, ints('valid.i32'), state);
  const optimizer = deserializeOptimizerState(need(c, 'optimizer.safetensors', 'the saved run'));
  try {
    session.loadOptimizer((step) => step.loadState(optimizer));
  } finally {
    tf.dispose([...optimizer.moments.values()]);
  }
  return session;
}
