// Mutations of a valid file: truncations, single-bit flips and byte overwrites at evenly spread
// offsets (deterministic), plus the format's own semantic mutants.
export interface Mutant {
  name: string;
  bytes: Uint8Array;
}

/** `count` truncations (including the empty file), spread over the file. */
export function truncations(base: Uint8Array, count: number): Mutant[] {
  return Array.from({ length: count }, (_, k) => {
    const at = Math.floor((k * base.length) / count);
    return { name: `truncated at ${at} of ${base.length}`, bytes: base.slice(0, at) };
  });
}

/** `count` single-bit flips between `from` and `to` (default the whole file). */
export function bitFlips(base: Uint8Array, count: number, from = 0, to = base.length): Mutant[] {
  return Array.from({ length: count }, (_, k) => {
    const at = from + Math.floor((k * (to - from)) / count);
    const bytes = base.slice();
    bytes[at] = bytes[at]! ^ (1 << k % 8);
    return { name: `bit ${k % 8} of byte ${at} flipped`, bytes };
  });
}

/** Text mutants: `find` replaced by each of `values` (a JSON or YAML field given a hostile value). */
export function replaced(base: string, find: string, values: string[]): Mutant[] {
  if (!base.includes(find)) throw new Error(`mutant base lacks ${JSON.stringify(find)}`);
  return values.map((v) => ({ name: `${find} -> ${v.slice(0, 60)}`, bytes: new TextEncoder().encode(base.replace(find, v)) }));
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
