// A ByteSink that keeps what is written, for tests of the writers.

/** A sink and the bytes written to it so far. */
export function memorySink() {
  const chunks: Uint8Array[] = [];
  return {
    sink: { write: async (chunk: Uint8Array) => void chunks.push(chunk.slice()) },
    bytes: () => {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
      let at = 0;
      for (const c of chunks) (out.set(c, at), (at += c.byteLength));
      return out;
    },
  };
}
