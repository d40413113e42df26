// The `normalizer` section of tokenizer.json, one small module per type.
import { MalformedTokenizerError, UnsupportedFeatureError } from '../errors.js';
import { asArray, asBool, asObject, asString, type Json, typeOf, sequenceItems } from '../json.js';
import { escapeRegex, translateRegex } from '../regex.js';
import { Lowercase } from './lowercase.js';
import type { Normalizer } from './normalizer.js';
import { Prepend } from './prepend.js';
import { Replace } from './replace.js';
import { NormalizerSequence } from './sequence.js';
import { Strip } from './strip.js';
import { UnicodeNormalizer } from './unicode.js';

export type { Normalizer } from './normalizer.js';
export { Lowercase, NormalizerSequence, Prepend, Replace, Strip, UnicodeNormalizer };

/** A literal-or-regex `pattern` object: `{ "String": "..." }` or `{ "Regex": "..." }`. */
export function patternFromJson(v: Json | undefined, field: string): RegExp {
  const o = asObject(v, field);
  if (typeof o.String === 'string') return new RegExp(escapeRegex(o.String), 'gu');
  if (typeof o.Regex === 'string') return translateRegex(o.Regex, `${field}.Regex`);
  throw new UnsupportedFeatureError(field, v, 'is neither {"String": ...} nor {"Regex": ...}');
}

/** Hugging Face normalizers that exist but that no byte-level tokenizer uses; not implemented here. */
const KNOWN_ELSEWHERE = ['BertNormalizer', 'StripAccents', 'NMT', 'Precompiled', 'ByteLevel', 'Nmt'];

export function normalizerFromJson(v: Json | undefined, field = 'normalizer'): Normalizer {
  const o = asObject(v, field);
  const type = typeOf(o, field);
  switch (type) {
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return new UnicodeNormalizer(type);
    case 'Lowercase':
      return new Lowercase();
    case 'Strip':
      return new Strip(asBool(o.strip_left, `${field}.strip_left`, true), asBool(o.strip_right, `${field}.strip_right`, true));
    case 'Prepend':
      return new Prepend(asString(o.prepend, `${field}.prepend`));
    case 'Replace':
      return new Replace(patternFromJson(o.pattern, `${field}.pattern`), asString(o.content, `${field}.content`), o);
    case 'Sequence':
      return new NormalizerSequence(
        sequenceItems(o.normalizers, `${field}.normalizers`).map((n, i) => normalizerFromJson(n, `${field}.normalizers[${i}]`)),
      );
    default:
      if (KNOWN_ELSEWHERE.includes(type)) throw new UnsupportedFeatureError(`${field}.type`, type);
      throw new MalformedTokenizerError(`${field}.type`, type, 'a Hugging Face normalizer type');
  }
}
