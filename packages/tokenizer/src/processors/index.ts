// The `post_processor` section of tokenizer.json.
import { MalformedTokenizerError, UnsupportedFeatureError } from '../errors.js';
import { asArray, asBool, asObject, type Json, typeOf, sequenceItems } from '../json.js';
import { ByteLevelProcessor } from './byteLevel.js';
import type { PostProcessor } from './processor.js';
import { ProcessorSequence } from './sequence.js';
import { TemplateProcessing } from './template.js';

export type { PostProcessor } from './processor.js';
export { ByteLevelProcessor, ProcessorSequence, TemplateProcessing };

const KNOWN_ELSEWHERE = ['BertProcessing', 'RobertaProcessing'];

export function postProcessorFromJson(v: Json | undefined, field = 'post_processor'): PostProcessor {
  const o = asObject(v, field);
  const type = typeOf(o, field);
  switch (type) {
    case 'ByteLevel':
      return new ByteLevelProcessor(
        asBool(o.trim_offsets, `${field}.trim_offsets`, true),
        asBool(o.add_prefix_space, `${field}.add_prefix_space`, true),
        o,
      );
    case 'TemplateProcessing':
      return TemplateProcessing.fromJson(o, field);
    case 'Sequence':
      return new ProcessorSequence(
        sequenceItems(o.processors, `${field}.processors`).map((p, i) => postProcessorFromJson(p, `${field}.processors[${i}]`)),
      );
    default:
      if (KNOWN_ELSEWHERE.includes(type)) throw new UnsupportedFeatureError(`${field}.type`, type);
      throw new MalformedTokenizerError(`${field}.type`, type, 'a Hugging Face post-processor type');
  }
}
