// `tokenformer import` and `tokenformer export`: the released TokenFormer checkpoints (GPT-NeoX
// `pytorch_model.bin`, official key names) ↔ our checkpoint directories.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { checkTokenizerFits, countParams, type TokenFormerConfig } from '@tokenformer/model';
import { exportOfficialToFile, importOfficialToDir, loadCheckpoint } from '@tokenformer/model/node';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import { Document, parse, type YAMLSeq } from 'yaml';
import { writeFileAtomically } from '@tokenformer/node-runtime';
import { resolveCheckpoint } from '@tokenformer/trainer/node';

const TOKENIZER_FILE = 'tokenizer.json';

export interface ImportCommandOptions {
  /** pytorch_model.bin (zip or legacy torch.save) or a safetensors file with the official keys. */
  from: string;
  /** A GPT-NeoX yml (e.g. configs/tokenformer/150M_eval.yml) or JSON with the same keys. */
  config: string;
  out: string;
  /** tokenizer.json to store beside the weights (e.g. GPT-NeoX's 20B_tokenizer.json). */
  tokenizer?: string;
}

export interface ImportCommandResult {
  out: string;
  format: string;
  tensors: number;
  params: number;
  config: TokenFormerConfig;
  seconds: number;
}

/** Reads a GPT-NeoX config file: YAML (GPT-NeoX's own yml files are YAML flow mappings with comments) or JSON. */
export function readNeoxConfig(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the GPT-NeoX config ${path}: ${(e as Error).message}`);
  }
  try {
    return parse(text);
  } catch (e) {
    throw new Error(`${path} is not YAML or JSON: ${(e as Error).message}`);
  }
}

export async function importCommand(o: ImportCommandOptions): Promise<ImportCommandResult> {
  const started = Date.now();
  if (!existsSync(o.from)) throw new Error(`--from ${o.from} does not exist`);
  const args = readNeoxConfig(o.config);
  const extraFiles: Record<string, string> = {};
  let tokenizerIds: number | undefined;
  if (o.tokenizer !== undefined) {
    tokenizerIds = loadTokenizer(o.tokenizer).vocabSize();
    extraFiles[TOKENIZER_FILE] = readFileSync(o.tokenizer, 'utf8');
  }
  const result = await importOfficialToDir(o.from, args, o.out, { extraFiles });
  if (tokenizerIds !== undefined) checkTokenizerFits(tokenizerIds, result.config.vocabSize);
  return { out: o.out, format: result.format, tensors: result.tensors, params: countParams(result.config), config: result.config, seconds: (Date.now() - started) / 1000 };
}

export interface ExportCommandOptions {
  checkpoint: string;
  which: 'latest' | 'best';
  /** The pytorch_model.bin to write. */
  out: string;
  /** Where to write the GPT-NeoX arguments as YAML (default: beside `out`, `<name>.neox.yml`). */
  configOut?: string;
  allowTauChange: boolean;
}

export interface ExportCommandResult {
  checkpoint: string;
  out: string;
  configOut: string;
  neoxArgs: Record<string, unknown>;
  params: number;
  seconds: number;
}

export async function exportCommand(o: ExportCommandOptions): Promise<ExportCommandResult> {
  const started = Date.now();
  const dir = resolveCheckpoint(o.checkpoint, o.which);
  const tokenizerFile = join(dir, TOKENIZER_FILE);
  const tokenizerVocabSize = existsSync(tokenizerFile) ? loadTokenizer(tokenizerFile).vocabSize() : undefined;
  const model = await loadCheckpoint(dir);
  try {
    const neoxArgs = await exportOfficialToFile(model, o.out, { allowTauChange: o.allowTauChange, ...(tokenizerVocabSize !== undefined ? { tokenizerVocabSize } : {}) });
    const configOut = o.configOut ?? join(dirname(o.out), `${basename(o.out).replace(/\.[^.]*$/, '')}.neox.yml`);
    const header = `# GPT-NeoX arguments of ${dir} (written by tokenformer export); merge into a TokenFormer train/eval yml.\n`;
    const doc = new Document(neoxArgs);
    (doc.get('attention_config', true) as YAMLSeq).flow = true; // [[["tokenformer"], L]] as GPT-NeoX writes it
    writeFileAtomically(configOut, header + doc.toString());
    return { checkpoint: dir, out: o.out, configOut, neoxArgs, params: model.countParams(), seconds: (Date.now() - started) / 1000 };
  } finally {
    model.dispose();
  }
}
