// ByteLevel post-processor: with trim_offsets, offsets leave out the spaces a token starts or
// ends with (the first token keeps one space that add_prefix_space put there).
import type { Encoding } from '../encoding.js';
import { WHITE_SPACE } from '../regex.js';
import type { PostProcessor } from './processor.js';


export class ByteLevelProcessor implements PostProcessor {
  constructor(
    readonly trimOffsets: boolean,
    readonly addPrefixSpace: boolean,
    private readonly json: object,
  ) {}

  processEncodings(encodings: Encoding[]): Encoding[] {
    if (this.trimOffsets) for (const e of encodings) trimOffsets(e, this.addPrefixSpace);
    return encodings;
  }

  processIds(ids: number[][]): number[][] {
    return ids;
  }

  toJSON(): object {
    return this.json;
  }
}

function isSpace(c: string): boolean {
  return c === 'Ġ' || WHITE_SPACE.test(c);
}

export function trimOffsets(e: Encoding, addPrefixSpace: boolean): void {
  e.tokens.forEach((token, i) => {
    const chars = [...token];
    let leading = 0;
    while (leading < chars.length && isSpace(chars[leading]!)) leading++;
    let trailing = 0;
    while (trailing < chars.length && isSpace(chars[chars.length - 1 - trailing]!)) trailing++;
    if (leading === 0 && trailing === 0) return;
    const o = e.offsets[i]!;
    if (leading > 0) {
      const isFirst = i === 0 || o[0] === 0;
      if (isFirst && addPrefixSpace && leading === 1) leading = 0;
      o[0] = Math.min(o[0] + leading, o[1]);
    }
    if (trailing > 0 && o[1] >= trailing) o[1] = Math.max(o[1] - trailing, o[0]);
  });
}
