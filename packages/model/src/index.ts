// @tokenformer/model: browser-safe entry (no fs). Node checkpoint directories: '@tokenformer/model/node'.
export { tensorShapes } from './weights.js';
export { checkFitsBackend } from './backendChecks.js';
export { TokenFormer, type TokenFormerOptions, type ForwardOptions, type LossOptions, type NamedVariable } from './model.js';
export {
  createConfig, validateConfig, padVocabSize, countParams, headDim, rotaryDims, CONFIG_FORMAT, SLOT_NAMES,
  type TokenFormerConfig, type UniformConfigArgs, type LayerSlots, type PattentionSlot, type SlotName,
} from './config.js';
export { preset, PRESET_NAMES, type PresetName } from './presets.js';
export { configToJson, configFromJson } from './configJson.js';
export { KVCache, type LayerCache } from './kvCache.js';
export { generate, type GenerateOptions, type Decoder } from './generate.js';
export { sampleToken, argmax, type SamplingOptions } from './sampling.js';
export { mulberry32 } from './random.js';
export { type IdsInput } from './ids.js';
export { pattentionPrefix } from './block.js';
export { layerNorm } from './layerNorm.js';
export { applyRotary, rotaryTables, type RotaryTables } from './rotary.js';
export { embeddingLookup } from './embedding.js';
export { tokenCrossEntropy, meanCrossEntropy } from './loss.js';
export { causalAttention } from './attentionCore.js';
export {
  parseSafetensors, serializeSafetensors, toFloat32, MAX_HEADER_BYTES, indexSafetensors, safetensorsLayout,
  type SafetensorsIndex, type SafetensorsLayout, type SafetensorsDtype, type SafetensorsEntry, type SafetensorsFile, type TensorToWrite,
} from './safetensors.js';
export { serializeCheckpoint, deserializeCheckpoint, deserializeCheckpointFromSource, loadCheckpointFromUrl, type CheckpointBytes } from './checkpoint.js';
export {
  TokenFormerError, ConfigError, InputError, SafetensorsError, CheckpointError, GenerationError, TorchFileError,
} from './errors.js';
export { bytesSource, blobSource, type ByteSource } from './official/byteSource.js';
export { readTorchStateDict, tensorToFloat32, type TorchStateDict, type TorchFileFormat } from './official/torchFile.js';
export { StorageRef, TensorRef, ALLOWED_GLOBALS } from './official/torchPickle.js';
export { ZipWriter, type ByteSink, type ZipWriterOptions } from './official/zipWriter.js';
export { officialNamePairs } from './official/officialNames.js';
export { configFromOfficial, neoxArgsFromConfig, normalizeNeoxArgs, RELEASED_DEFAULTS, type NeoxArgs, type NeoxArgsOptions } from './official/officialConfig.js';
export {
  openOfficialCheckpoint, importOfficial, exportOfficial,
  type OfficialCheckpoint, type ImportedTensor, type ExportOptions,
} from './official/officialCheckpoint.js';
