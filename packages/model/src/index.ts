// @tokenformer/model: browser-safe entry (no fs). Node checkpoint directories: '@tokenformer/model/node'.
export { tensorShapes } from './weights.js';
export { checkFitsBackend, requireGradients } from './backendChecks.js';
export { TokenFormer, type TokenFormerOptions, type ForwardOptions, type LossOptions, type NamedVariable } from './model.js';
export {
  createConfig, validateConfig, CONFIG_LIMITS, padVocabSize, countParams, headDim, rotaryDims, CONFIG_FORMAT, SLOT_NAMES,
  type TokenFormerConfig, type UniformConfigArgs, type LayerSlots, type PattentionSlot, type SlotName,
} from './config.js';
export { preset, PRESET_NAMES, type PresetName } from './presets.js';
export { configToJson, configFromJson } from './configJson.js';
export { KVCache, type LayerCache } from './kvCache.js';
export { generate, type GenerateOptions, type GenerationSettings, type Decoder } from './generate.js';
export { sampleToken, argmax, type SamplingOptions } from './sampling.js';
export { mulberry32 } from './random.js';
export { type IdsInput } from './ids.js';
export { checkTokenizerFits } from './vocabulary.js';
export { pattentionPrefix } from './block.js';
export { layerNorm } from './layerNorm.js';
export { applyRotary, rotaryTables, type RotaryTables } from './rotary.js';
export { embeddingLookup } from './embedding.js';
export { tokenCrossEntropy, meanCrossEntropy } from './loss.js';
export { causalAttention } from './attentionCore.js';
export {
  parseSafetensors, serializeSafetensors, toFloat32, checkFinite, MAX_HEADER_BYTES, indexSafetensors, safetensorsLayout,
  type SafetensorsIndex, type SafetensorsLayout, type SafetensorsDtype, type SafetensorsEntry, type SafetensorsFile, type TensorToWrite,
} from './safetensors.js';
export { serializeCheckpoint, deserializeCheckpoint, deserializeCheckpointFromSource, loadCheckpointFromUrl, type CheckpointBytes } from './checkpoint.js';
export {
  TokenFormerError, ConfigError, InputError, SafetensorsError, CheckpointError, GenerationError, ByteSourceError,
} from './errors.js';
export { bytesSource, blobSource, checkRange, type ByteSource } from './byteSource.js';
export { CHECKPOINT_FILES, isZip, loadCheckpointFromZip, unzipCheckpoint, zipCheckpoint } from './zip.js';
