// The official GPT-NeoX state-dict layout (reference/tokenformer.md §2) ↔ our tensor names.
// GPT-NeoX's pipeline puts the embedding at sequential.0, a lambda at 1, the L blocks at 2…L+1,
// a lambda at L+2 and the final norm at L+3. Both sides store key and value tokens as [n, d].
import type { SlotName } from '../config.js';
import { pattentionPrefix } from '../block.js';

export const OFFICIAL_EMBEDDING = 'sequential.0.word_embeddings.weight';

/** The block index of layer i in GPT-NeoX's `sequential` list. */
const blockIndex = (layer: number) => layer + 2;

function officialPattention(layer: number, slot: SlotName): string {
  return slot === 'ffn' ? `sequential.${blockIndex(layer)}.mlp` : `sequential.${blockIndex(layer)}.attention.${slot}`;
}

/** Every (ours, official) name pair of a model with `numLayers` blocks, in GPT-NeoX's order. */
export function officialNamePairs(numLayers: number): [ours: string, official: string][] {
  const pairs: [string, string][] = [['wordEmbeddings', OFFICIAL_EMBEDDING]];
  for (let i = 0; i < numLayers; i++) {
    for (const slot of ['query', 'key', 'value', 'proj', 'ffn'] as const satisfies readonly SlotName[]) {
      pairs.push([`${pattentionPrefix(i, slot)}.keyParamTokens`, `${officialPattention(i, slot)}.key_param_tokens`]);
      pairs.push([`${pattentionPrefix(i, slot)}.valueParamTokens`, `${officialPattention(i, slot)}.value_param_tokens`]);
    }
  }
  pairs.push(['finalNorm.weight', `sequential.${numLayers + 3}.norm.weight`]);
  pairs.push(['finalNorm.bias', `sequential.${numLayers + 3}.norm.bias`]);
  return pairs;
}

/** The official key of one of our Pattentions' key tokens (for messages). */
export function officialKeyTokens(layer: number, slot: SlotName): string {
  return `${officialPattention(layer, slot)}.key_param_tokens`;
}

/** Block count from official keys: the number of `sequential.{i}.attention.query.key_param_tokens`. */
export function countOfficialLayers(names: Iterable<string>): number {
  let count = 0;
  for (const name of names) if (/^sequential\.\d+\.attention\.query\.key_param_tokens$/.test(name)) count++;
  return count;
}

/** Buffers GPT-NeoX may save that carry no weights (rotary inverse frequencies with `rotary_save_freqs_buffer`). */
export function isOfficialBuffer(name: string): boolean {
  return /^sequential\.\d+\.attention\.rotary_emb\.inv_freq$/.test(name);
}

