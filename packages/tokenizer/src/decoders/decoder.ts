/** A `decoder` of tokenizer.json: turns token strings back into text, one chain step at a time. */
export interface Decoder {
  decodeChain(tokens: string[]): string[];
  toJSON(): object;
}
