// The text a run trains on, as the Node readers take it: a .txt is one document, a .jsonl one
// document per line (its "text" field), either optionally gzipped (.gz, inflated with the browser's
// DecompressionStream). Then the token stream: each document's ids and <|endoftext|>, the last tenth
// held out for validation (at least one batch), so one pasted text trains and validates.
export interface TextFile {
  name: string;
  bytes: Uint8Array;
}

export class CorpusError extends Error {
  override name = 'CorpusError';
}

async function gunzip(file: TextFile): Promise<Uint8Array> {
  try {
    const stream = new Blob([file.bytes as unknown as ArrayBuffer]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new CorpusError(`${file.name}: not a readable gzip file (${(e as Error).message})`);
  }
}

/** The documents of one file (by its name: .jsonl / .json lines, else plain text; .gz inflated). */
export async function documentsOf(file: TextFile): Promise<string[]> {
  const gz = file.name.endsWith('.gz');
  const bytes = gz ? await gunzip(file) : file.bytes;
  const name = gz ? file.name.slice(0, -3) : file.name;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CorpusError(`${file.name}: not UTF-8 text`);
  }
  if (!/\.jsonl?$/.test(name)) return text.length > 0 ? [text] : [];
  const docs: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (e) {
      throw new CorpusError(`${file.name}, line ${i + 1}: not JSON (${(e as Error).message})`);
    }
    const t = (row as { text?: unknown } | null)?.text;
    if (typeof t !== 'string') throw new CorpusError(`${file.name}, line ${i + 1}: no "text" string field`);
    if (t.length > 0) docs.push(t);
  });
  return docs;
}

export interface TokenSplit {
  train: Int32Array;
  valid: Int32Array;
}

/**
 * The documents' ids, each followed by `eod`, as one stream; the last max(10%, batch·seq + 1) tokens
 * are the held-out part. Too little text for one training and one validation batch is an error
 * that says how much is needed.
 */
export function splitTokens(docs: ArrayLike<number>[], eod: number, batch: number, seq: number): TokenSplit {
  const total = docs.reduce((n, d) => n + d.length + 1, 0);
  const stream = new Int32Array(total);
  let at = 0;
  for (const d of docs) {
    stream.set(d, at);
    at += d.length;
    stream[at++] = eod;
  }
  const batchTokens = batch * seq + 1;
  const validSize = Math.max(Math.ceil(total / 10), batchTokens);
  if (total - validSize < batchTokens) {
    throw new CorpusError(`the text has ${total} tokens; batch=${batch} × seq=${seq} needs at least ${2 * batchTokens} (one batch to train on, one held out): give more text or a smaller batch or seq`);
  }
  return { train: stream.subarray(0, total - validSize), valid: stream.subarray(total - validSize) };
}
