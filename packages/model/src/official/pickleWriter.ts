// Writes the pickle of a plain float32 state dict exactly as `torch.save` lays it out (protocol 2):
// an OrderedDict of `_rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())`.
// One storage per tensor, keyed "0", "1", … in order.
export interface StateDictTensor {
  name: string;
  shape: number[];
}

class PickleBuilder {
  private readonly chunks: number[] = [];
  private readonly encoder = new TextEncoder();
  op(...codes: number[]): this {
    this.chunks.push(...codes);
    return this;
  }
  int(n: number): this {
    if (n >= 0 && n < 0x100) return this.op(0x4b, n); // BININT1
    if (n >= 0 && n < 0x10000) return this.op(0x4d, n & 0xff, n >> 8); // BININT2
    if (n >= -0x80000000 && n < 0x80000000) return this.op(0x4a, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff); // BININT
    const bytes: number[] = [];
    let v = BigInt(n);
    for (let i = 0; i < 8; i++, v >>= 8n) bytes.push(Number(v & 0xffn));
    return this.op(0x8a, 8, ...bytes); // LONG1
  }
  str(s: string): this {
    const b = this.encoder.encode(s);
    const n = b.byteLength;
    return this.op(0x58, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff, ...b); // BINUNICODE
  }
  global(module: string, name: string): this {
    return this.op(0x63, ...this.encoder.encode(`${module}\n${name}\n`)); // GLOBAL
  }
  tuple(items: number[]): this {
    this.op(0x28); // MARK
    for (const i of items) this.int(i);
    return this.op(0x74); // TUPLE
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** The data.pkl bytes for float32 tensors stored contiguously, tensor i in storage `${i}`. */
export function stateDictPickle(tensors: StateDictTensor[]): Uint8Array {
  const p = new PickleBuilder();
  p.op(0x80, 2).global('collections', 'OrderedDict').op(0x29, 0x52, 0x28); // PROTO 2, OrderedDict(), MARK
  tensors.forEach((t, i) => {
    const numel = t.shape.reduce((a, b) => a * b, 1);
    const stride = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    p.str(t.name).global('torch._utils', '_rebuild_tensor_v2').op(0x28); // name, callable, MARK (args)
    p.op(0x28).str('storage').global('torch', 'FloatStorage').str(String(i)).str('cpu').int(numel).op(0x74, 0x51); // pid tuple, BINPERSID
    p.int(0).tuple(t.shape).tuple(stride).op(0x89); // offset, size, stride, requires_grad False
    p.global('collections', 'OrderedDict').op(0x29, 0x52, 0x74, 0x52); // backward hooks OrderedDict(), TUPLE, REDUCE
  });
  return p.op(0x75, 0x2e).bytes(); // SETITEMS, STOP
}
