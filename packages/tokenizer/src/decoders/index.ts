// The `decoder` section of tokenizer.json.
import { MalformedTokenizerError, UnsupportedFeatureError } from '../errors.js';
import { asArray, asInt, asObject, asString, type Json, typeOf, sequenceItems } from '../json.js';
import { patternFromJson } from '../normalizers/index.js';
import { ByteLevelDecoder } from './byteLevel.js';
import type { Decoder } from './decoder.js';
import { BpeDecoder, ByteFallbackDecoder, DecoderSequence, FuseDecoder, ReplaceDecoder, StripDecoder } from './simple.js';

export type { Decoder } from './decoder.js';
export { byteLevelDecode } from './byteLevel.js';
export { BpeDecoder, ByteFallbackDecoder, ByteLevelDecoder, DecoderSequence, FuseDecoder, ReplaceDecoder, StripDecoder };

const KNOWN_ELSEWHERE = ['WordPiece', 'Metaspace', 'CTC'];

export function decoderFromJson(v: Json | undefined, field = 'decoder'): Decoder {
  const o = asObject(v, field);
  const type = typeOf(o, field);
  switch (type) {
    case 'ByteLevel':
      return new ByteLevelDecoder(o);
    case 'ByteFallback':
      return new ByteFallbackDecoder();
    case 'Fuse':
      return new FuseDecoder();
    case 'Replace':
      return new ReplaceDecoder(patternFromJson(o.pattern, `${field}.pattern`), asString(o.content, `${field}.content`), o);
    case 'Strip': {
      const content = asString(o.content, `${field}.content`);
      if ([...content].length !== 1) throw new MalformedTokenizerError(`${field}.content`, content, 'one character');
      return new StripDecoder(content, asInt(o.start, `${field}.start`), asInt(o.stop, `${field}.stop`));
    }
    case 'BPEDecoder':
      return new BpeDecoder(o.suffix === undefined ? '</w>' : asString(o.suffix, `${field}.suffix`));
    case 'Sequence':
      return new DecoderSequence(sequenceItems(o.decoders, `${field}.decoders`).map((d, i) => decoderFromJson(d, `${field}.decoders[${i}]`)));
    default:
      if (KNOWN_ELSEWHERE.includes(type)) throw new UnsupportedFeatureError(`${field}.type`, type);
      throw new MalformedTokenizerError(`${field}.type`, type, 'a Hugging Face decoder type');
  }
}
