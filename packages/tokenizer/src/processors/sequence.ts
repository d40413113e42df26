import type { Encoding } from '../encoding.js';
import type { PostProcessor } from './processor.js';

/** Sequence: each processor on the encodings the previous one returned. */
export class ProcessorSequence implements PostProcessor {
  constructor(readonly processors: PostProcessor[]) {}

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    for (const p of this.processors) encodings = p.processEncodings(encodings, addSpecialTokens);
    return encodings;
  }

  processIds(ids: number[][], addSpecialTokens: boolean): number[][] {
    for (const p of this.processors) ids = p.processIds(ids, addSpecialTokens);
    return ids;
  }

  toJSON(): object {
    return { type: 'Sequence', processors: this.processors.map((p) => p.toJSON()) };
  }
}
