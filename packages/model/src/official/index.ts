// @tokenformer/model/official: the released TokenFormer checkpoints (GPT-NeoX state dicts): torch.save
// readers and writers, the official key names and GPT-NeoX arguments, import and export. Browser-safe.
export { TorchFileError } from '../errors.js';
export { readTorchStateDict, tensorToFloat32, type TorchStateDict, type TorchFileFormat } from './torchFile.js';
export { StorageRef, TensorRef, ALLOWED_GLOBALS } from './torchPickle.js';
export { ZipWriter, type ByteSink, type ZipWriterOptions } from './zipWriter.js';
export { officialNamePairs } from './officialNames.js';
export { configFromOfficial, neoxArgsFromConfig, normalizeNeoxArgs, RELEASED_DEFAULTS, type NeoxArgs, type NeoxArgsOptions } from './officialConfig.js';
export {
  openOfficialCheckpoint, importOfficial, exportOfficial,
  type OfficialCheckpoint, type ImportedTensor, type ExportOptions,
} from './officialCheckpoint.js';
