// Encodings beyond ids: tokens with their character offsets, sentence pairs, batches, and streaming
// decode that never splits a multi-byte character.
import { BpeTrainer, DecodeStream } from '@tokenformer/tokenizer';

const trainer = new BpeTrainer({ vocabSize: 400, specialTokens: ['<|endoftext|>', '<|padding|>'] });
for (let i = 0; i < 30; i++) trainer.feed('Café crème, naïve façade — déjà vu. The quick brown fox. ');
const tokenizer = trainer.train();
console.log(`vocabulary: ${tokenizer.vocabSize()} ids`);

const text = 'Café crème for the fox.';
const e = tokenizer.encode(text);
for (const [i, token] of e.tokens.entries()) {
  const [start, end] = e.offsets[i]!;
  console.log(`${String(e.ids[i]).padStart(4)}  ${JSON.stringify(token).padEnd(12)} ${JSON.stringify(text.slice(start, end))}`);
}

// Streaming decode: pieces come out only when complete, and add up to the whole decode.
const stream = new DecodeStream(tokenizer);
let streamed = '';
for (const id of tokenizer.encodeIds('déjà vu ☕')) streamed += stream.step(id) ?? '';
console.log('streamed:', streamed);
if (streamed !== 'déjà vu ☕') throw new Error(`streaming gave ${JSON.stringify(streamed)}`);

const batch = tokenizer.encodeBatch(['the fox', 'naïve façade']);
console.log('batch lengths:', batch.map((b) => b.ids.length).join(', '));
const pair = tokenizer.encode(['question', 'answer']);
console.log('pair sequence ids:', pair.sequenceIds.join(' '));
