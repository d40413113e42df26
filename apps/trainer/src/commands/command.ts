// What every `tokenformer` command is: its one-line summary, its --help text, its options (node:util
// parseArgs), and its run. cli.ts holds the table of commands; each file in this folder is one.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKENDS } from '@tokenformer/node-runtime';

/** A command's options, as node:util's parseArgs takes them. */
export type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  /** One line for `tokenformer --help`. */
  summary: string;
  /** `tokenformer <command> --help`. */
  help: string;
  options: ParseArgsOptionsConfig;
  /** Also takes `--key=value` training-setting overrides (strings), passed to run as `overrides`. */
  takesSettings?: boolean;
  run(values: OptionValues, overrides: Record<string, string>): Promise<void>;
}

/** Bad usage: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The --backend line of every command's help. */
export const BACKEND_HELP = `--backend B        ${BACKENDS.join(' | ')} (default auto)`;

/** string options, by name. */
export function stringOptions(...names: string[]): ParseArgsOptionsConfig {
  return Object.fromEntries(names.map((k) => [k, { type: 'string' as const }]));
}

/** A number option, `fallback` when absent; a value that is not a number is a UsageError. */
export function num(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  // Number('') and Number(' ') are 0: an empty value is not a number
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} ${JSON.stringify(v)} is not a number`);
  return n;
}

/** An integer option >= `min`, `fallback` when absent (--threads 0, --vocab 10 are usage errors, not silently changed). */
export function count(name: string, v: unknown, fallback: number, min = 1): number {
  const n = num(name, v, fallback);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} ${JSON.stringify(v)} must be an integer >= ${min}`);
  return n;
}

/** The --overwrite flag every command that writes an output takes. */
export const OVERWRITE = { overwrite: { type: 'boolean' as const, default: false } };

/** A comma-separated list of numbers, e.g. --layers 0,2. */
export function numbers(name: string, v: string): number[] {
  return v.split(',').map((x) => num(name, x.trim(), 0));
}

/** A string option's value (undefined when absent). */
export function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Parses a command's arguments: its own options strictly; for a command that takes settings, every
 * other `--key=value` becomes a setting override (checked later against the settings' keys).
 */
export function parseCommandArgs(command: Command, args: string[]): { values: OptionValues; overrides: Record<string, string> } {
  if (!command.takesSettings) {
    const { values } = parseArgs({ args, strict: true, options: command.options });
    return { values, overrides: {} };
  }
  const { values: all, positionals } = parseArgs({ args, strict: false, allowPositionals: true, options: command.options });
  if (positionals.length > 0) throw new UsageError(`unexpected ${JSON.stringify(positionals[0])}: settings are written --key=value`);
  const values: OptionValues = {};
  const overrides: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (typeof v !== 'string') throw new UsageError(`--${k} needs a value: --${k}=VALUE`);
    if (k in command.options) values[k] = v;
    else overrides[k] = v;
  }
  return { values, overrides };
}
