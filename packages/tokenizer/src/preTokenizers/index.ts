// The `pre_tokenizer` section of tokenizer.json, one small module per type.
import { MalformedTokenizerError, UnsupportedFeatureError } from '../errors.js';
import { asArray, asBool, asObject, asString, type Json, typeOf, sequenceItems } from '../json.js';
import { patternFromJson } from '../normalizers/index.js';
import type { SplitBehavior } from '../piece.js';
import { ByteLevelPreTokenizer } from './byteLevel.js';
import { Digits } from './digits.js';
import type { PreTokenizer } from './preTokenizer.js';
import { CharDelimiterSplit, Punctuation } from './punctuation.js';
import { PreTokenizerSequence } from './sequence.js';
import { Split } from './split.js';
import { Whitespace, WhitespaceSplit } from './whitespace.js';

export type { PreTokenizer } from './preTokenizer.js';
export { ByteLevelPreTokenizer, CharDelimiterSplit, Digits, PreTokenizerSequence, Punctuation, Split, Whitespace, WhitespaceSplit };

const BEHAVIORS: SplitBehavior[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];
const KNOWN_ELSEWHERE = ['BertPreTokenizer', 'Metaspace', 'UnicodeScripts', 'FixedLength'];

function behaviorFromJson(v: Json | undefined, field: string): SplitBehavior {
  const b = asString(v, field);
  if (!(BEHAVIORS as string[]).includes(b)) throw new MalformedTokenizerError(field, v, `one of ${BEHAVIORS.join(', ')}`);
  return b as SplitBehavior;
}

export function preTokenizerFromJson(v: Json | undefined, field = 'pre_tokenizer'): PreTokenizer {
  const o = asObject(v, field);
  const type = typeOf(o, field);
  switch (type) {
    case 'ByteLevel':
      return new ByteLevelPreTokenizer({
        addPrefixSpace: asBool(o.add_prefix_space, `${field}.add_prefix_space`, true),
        trimOffsets: asBool(o.trim_offsets, `${field}.trim_offsets`, true),
        useRegex: asBool(o.use_regex, `${field}.use_regex`, true),
      });
    case 'Split':
      return new Split(
        patternFromJson(o.pattern, `${field}.pattern`),
        behaviorFromJson(o.behavior, `${field}.behavior`),
        asBool(o.invert, `${field}.invert`, false),
        o,
      );
    case 'Whitespace':
      return new Whitespace();
    case 'WhitespaceSplit':
      return new WhitespaceSplit();
    case 'Digits':
      return new Digits(asBool(o.individual_digits, `${field}.individual_digits`, false));
    case 'Punctuation':
      return new Punctuation(o.behavior === undefined ? 'Isolated' : behaviorFromJson(o.behavior, `${field}.behavior`));
    case 'CharDelimiterSplit': {
      const d = asString(o.delimiter, `${field}.delimiter`);
      if ([...d].length !== 1) throw new MalformedTokenizerError(`${field}.delimiter`, d, 'one character');
      return new CharDelimiterSplit(d);
    }
    case 'Sequence':
      return new PreTokenizerSequence(
        sequenceItems(o.pretokenizers, `${field}.pretokenizers`).map((p, i) => preTokenizerFromJson(p, `${field}.pretokenizers[${i}]`)),
      );
    default:
      if (KNOWN_ELSEWHERE.includes(type)) throw new UnsupportedFeatureError(`${field}.type`, type);
      throw new MalformedTokenizerError(`${field}.type`, type, 'a Hugging Face pre-tokenizer type');
  }
}
