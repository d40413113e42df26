// Outputs never overwrite inputs (DESIGN.md): a command refuses an output path that is, or lies
// inside, one of its inputs (symbolic links resolved), and an existing output unless it was told to
// replace it (--overwrite; the write itself is atomic). An output that holds an input is refused too.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

/** A refused output path: a usage error (exit 2). */
export class OutputPathError extends Error {
  override name = 'OutputPathError';
}

/** The path with every existing part's symbolic links resolved. */
function real(path: string): string {
  const abs = resolve(path);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : resolve(real(parent), abs.slice(parent.length + 1));
}

/**
 * Throws OutputPathError when `output` is, or is inside, one of `inputs` (given by option name), or
 * already exists and `overwrite` is not set.
 */
export function checkOutputPath(option: string, output: string, inputs: Record<string, string | undefined>, overwrite = false): void {
  const out = real(output);
  for (const [name, input] of Object.entries(inputs)) {
    if (!input) continue;
    const inp = real(input);
    if (out === inp || out.startsWith(inp + sep)) {
      throw new OutputPathError(`${option} ${output} is ${out === inp ? '' : 'inside '}the input ${name} ${input}: it would be overwritten; choose another path`);
    }
    if (inp.startsWith(out + sep)) throw new OutputPathError(`${option} ${output} holds the input ${name} ${input}: writing it would replace that input; choose another path`);
  }
  if (!overwrite && existsSync(out)) throw new OutputPathError(`${option} ${output} exists: pass --overwrite to replace it`);
  // the nearest existing ancestor must be a folder (a path under a file fails only after other outputs were written)
  let ancestor = dirname(out);
  while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) throw new OutputPathError(`${option} ${output}: ${ancestor} is a file, not a folder`);
}
