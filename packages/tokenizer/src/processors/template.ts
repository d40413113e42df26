// TemplateProcessing: "$A", "$B" and special tokens with type ids, e.g. "[CLS]:0 $A:0 [SEP]:0".
import { MalformedTokenizerError } from '../errors.js';
import { emptyEncoding, type Encoding, pushToken } from '../encoding.js';
import { asArray, asInt, asObject, asString, type Json, type JsonObject } from '../json.js';
import type { PostProcessor } from './processor.js';

type Piece = { kind: 'sequence'; which: 0 | 1; typeId: number } | { kind: 'special'; name: string; typeId: number };
interface SpecialToken {
  ids: number[];
  tokens: string[];
}

export class TemplateProcessing implements PostProcessor {
  constructor(
    readonly single: Piece[],
    readonly pair: Piece[],
    readonly specialTokens: Map<string, SpecialToken>,
    private readonly json: object,
  ) {}

  static fromJson(o: JsonObject, field: string): TemplateProcessing {
    const specials = new Map<string, SpecialToken>();
    const st = asObject(o.special_tokens ?? {}, `${field}.special_tokens`);
    for (const [name, v] of Object.entries(st)) {
      const f = `${field}.special_tokens[${JSON.stringify(name)}]`;
      const so = asObject(v, f);
      const ids = asArray(so.ids, `${f}.ids`).map((x, i) => asInt(x, `${f}.ids[${i}]`));
      const tokens = asArray(so.tokens, `${f}.tokens`).map((x, i) => asString(x, `${f}.tokens[${i}]`));
      if (ids.length !== tokens.length) throw new MalformedTokenizerError(`${f}.tokens`, tokens, `${ids.length} tokens, one per id`);
      specials.set(name, { ids, tokens });
    }
    const parse = (v: Json | undefined, f: string): Piece[] =>
      asArray(v, f).map((x, i) => {
        const po = asObject(x, `${f}[${i}]`);
        if (po.Sequence !== undefined) {
          const so = asObject(po.Sequence, `${f}[${i}].Sequence`);
          const id = asString(so.id, `${f}[${i}].Sequence.id`);
          if (id !== 'A' && id !== 'B') throw new MalformedTokenizerError(`${f}[${i}].Sequence.id`, id, '"A" or "B"');
          return { kind: 'sequence', which: id === 'A' ? 0 : 1, typeId: asInt(so.type_id, `${f}[${i}].Sequence.type_id`) };
        }
        const so = asObject(po.SpecialToken, `${f}[${i}].SpecialToken`);
        const name = asString(so.id, `${f}[${i}].SpecialToken.id`);
        if (!specials.has(name)) throw new MalformedTokenizerError(`${f}[${i}].SpecialToken.id`, name, 'a key of special_tokens');
        return { kind: 'special', name, typeId: asInt(so.type_id, `${f}[${i}].SpecialToken.type_id`) };
      });
    return new TemplateProcessing(parse(o.single, `${field}.single`), parse(o.pair, `${field}.pair`), specials, o);
  }

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    const template = encodings.length === 2 ? this.pair : this.single;
    const out = emptyEncoding();
    for (const piece of template) {
      if (piece.kind === 'special') {
        if (!addSpecialTokens) continue;
        const sp = this.specialTokens.get(piece.name)!;
        sp.ids.forEach((id, k) => pushToken(out, id, sp.tokens[k]!, [0, 0], piece.typeId, true, null));
        continue;
      }
      const e = encodings[piece.which];
      if (e === undefined) continue;
      e.ids.forEach((id, k) => pushToken(out, id, e.tokens[k]!, e.offsets[k]!, piece.typeId, e.specialTokensMask[k] === 1, piece.which));
    }
    return [out];
  }

  processIds(ids: number[][], addSpecialTokens: boolean): number[][] {
    const template = ids.length === 2 ? this.pair : this.single;
    const out: number[] = [];
    for (const piece of template) {
      if (piece.kind === 'special') {
        if (addSpecialTokens) out.push(...this.specialTokens.get(piece.name)!.ids);
      } else {
        const seq = ids[piece.which];
        if (seq !== undefined) for (const id of seq) out.push(id);
      }
    }
    return [out];
  }

  toJSON(): object {
    return this.json;
  }
}
