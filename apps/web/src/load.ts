// Loading a checkpoint into the page: config.json, then model.safetensors one tensor at a time
// (HTTP Range requests, or slices of a picked file), then tokenizer.json.
import { blobSource, bytesSource, checkTokenizerFits, unzipCheckpoint, configFromJson, deserializeCheckpointFromSource, type ByteSource, type TokenFormer } from '@tokenformer/model';
import { Tokenizer } from '@tokenformer/tokenizer';
import { checkFitsDevice } from './backend.js';
import { httpSource } from './httpSource.js';

export interface Loaded {
  model: TokenFormer;
  tokenizer: Tokenizer;
  name: string;
}

/** GET `url`; a response that is not OK is an error naming the URL and the status. */
export async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} failed: ${res.status} ${res.statusText}`);
  return res;
}

async function fetchText(url: string): Promise<string> {
  return (await fetchOk(url)).text();
}

/** A checkpoint directory's URL (relative to the page or absolute), ending in '/'. */
export function checkpointBase(modelUrl: string): URL {
  return new URL(modelUrl.endsWith('/') ? modelUrl : `${modelUrl}/`, location.href);
}

async function build(config: string, weights: ByteSource, tokenizerJson: string, name: string): Promise<Loaded> {
  const resolved = configFromJson(config);
  checkFitsDevice(resolved.vocabSize * resolved.hiddenSize * 4, `its word embedding [${resolved.vocabSize}, ${resolved.hiddenSize}]`);
  const tokenizer = Tokenizer.fromJSON(tokenizerJson);
  checkTokenizerFits(tokenizer.vocabSize(), resolved.vocabSize);
  const model = await deserializeCheckpointFromSource(config, weights);
  return { model, tokenizer, name };
}

/** A checkpoint directory URL (relative to the page or absolute) and an optional tokenizer URL. */
export async function loadFromUrls(modelUrl: string, tokenizerUrl: string | undefined, onProgress: (loaded: number, total: number) => void): Promise<Loaded> {
  const base = checkpointBase(modelUrl);
  const config = await fetchText(new URL('config.json', base).href);
  const tokenizerJson = await fetchText(tokenizerUrl ? new URL(tokenizerUrl, location.href).href : new URL('tokenizer.json', base).href);
  const weights = await httpSource(new URL('model.safetensors', base).href, { onProgress });
  return build(config, weights, tokenizerJson, base.pathname);
}

/** Files the user picked: config.json, model.safetensors and tokenizer.json, by name; or one checkpoint .zip. */
export async function loadFromFiles(files: FileList, onProgress: (loaded: number, total: number) => void): Promise<Loaded> {
  const list = Array.from({ length: files.length }, (_, i) => files.item(i)!);
  if (list.length === 1 && list[0]!.name.endsWith('.zip')) {
    const zip = list[0]!;
    const inside = unzipCheckpoint(new Uint8Array(await zip.arrayBuffer()), zip.name);
    if (!inside.has('tokenizer.json')) throw new Error(`${zip.name} has no tokenizer.json (the page needs one)`);
    onProgress(zip.size, zip.size);
    const text = (name: string) => new TextDecoder().decode(inside.get(name));
    return build(text('config.json'), bytesSource(inside.get('model.safetensors')!), text('tokenizer.json'), zip.name);
  }
  const byName = new Map(list.map((f) => [f.name, f]));
  const need = (name: string) => {
    const f = byName.get(name) ?? list.find((x) => name === 'model.safetensors' && x.name.endsWith('.safetensors'));
    if (!f) throw new Error(`pick ${name} too (picked: ${list.map((x) => x.name).join(', ')})`);
    return f;
  };
  const weightsFile = need('model.safetensors');
  const source = blobSource(weightsFile);
  let loaded = 0;
  const counting: ByteSource = {
    size: source.size,
    read: async (offset, length) => {
      const bytes = await source.read(offset, length);
      loaded += length;
      onProgress(Math.min(loaded, source.size), source.size);
      return bytes;
    },
  };
  return build(await need('config.json').text(), counting, await need('tokenizer.json').text(), weightsFile.name);
}
