// @tokenformer/evaluator/node: TokenFormerLM.load also from local paths (Node only: fs). A checkpoint
// directory, a run directory (its `latest` checkpoint, as every --checkpoint option takes it), or a
// URL; tokenizer.json from beside the checkpoint unless `options.tokenizer` names one.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkTokenizerFits } from '@tokenformer/model';
import { extractCheckpointZip, isZipFile, loadCheckpoint } from '@tokenformer/model/node';
import { loadTokenizer } from '@tokenformer/tokenizer/node';
import { EvaluatorError } from './errors.js';
import { isUrl, type LoadOptions } from './load.js';
import { TokenFormerLM as BrowserTokenFormerLM, type TokenFormerLMOptions } from './lm.js';

export * from './index.js';

/** A run directory's `latest` pointer followed (one line, a path relative to the run), a zipped checkpoint unpacked, else `dir` itself. */
function checkpointDirectory(dir: string): string {
  if (isZipFile(dir)) return extractCheckpointZip(dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EvaluatorError(`${dir}: no such checkpoint directory`);
  if (existsSync(join(dir, 'config.json'))) return dir;
  const pointer = join(dir, 'latest');
  if (existsSync(pointer)) return resolve(dir, readFileSync(pointer, 'utf8').trim());
  throw new EvaluatorError(`${dir} holds neither config.json (a checkpoint) nor latest (a run directory)`);
}

export class TokenFormerLM extends BrowserTokenFormerLM {
  /** A checkpoint directory, a run directory (its latest checkpoint), a checkpoint .zip, or a URL (see the main entry). */
  static override async load(source: string, options: LoadOptions & TokenFormerLMOptions = {}): Promise<TokenFormerLM> {
    if (isUrl(source) && !source.startsWith('file:')) {
      const lm = await BrowserTokenFormerLM.load(source, options);
      return new TokenFormerLM(lm.model, lm.tokenizer, options);
    }
    const dir = checkpointDirectory(source.startsWith('file:') ? new URL(source).pathname : source);
    const tokenizerFile = options.tokenizer ?? join(dir, 'tokenizer.json');
    if (!existsSync(tokenizerFile)) throw new EvaluatorError(`no tokenizer: ${tokenizerFile} does not exist (pass options.tokenizer)`);
    const tokenizer = loadTokenizer(tokenizerFile);
    const model = await loadCheckpoint(dir);
    try {
      checkTokenizerFits(tokenizer.vocabSize(), model.config.vocabSize);
    } catch (e) {
      model.dispose();
      throw e;
    }
    return new TokenFormerLM(model, tokenizer, options);
  }
}
