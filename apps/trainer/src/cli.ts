#!/usr/bin/env node
// tokenformer: prepare data, train, generate, grow, and the main job. `tokenformer <command> --help`.
// The table of commands; each is a file in commands/ with its help, options and run.
import type { Command } from './commands/command.js';
import { parseCommandArgs, UsageError } from './commands/command.js';
import { demoCommand } from './commands/demo.js';
import { exportCommand } from './commands/export.js';
import { generateCommand } from './commands/generate.js';
import { growCommand } from './commands/grow.js';
import { importCommand } from './commands/import.js';
import { prepareCommand } from './commands/prepare.js';
import { pruneCommand } from './commands/prune.js';
import { trainCommand } from './commands/train.js';

const COMMANDS: Record<string, Command> = {
  prepare: prepareCommand,
  train: trainCommand,
  demo: demoCommand,
  generate: generateCommand,
  grow: growCommand,
  prune: pruneCommand,
  import: importCommand,
  export: exportCommand,
};

const HELP = `tokenformer: TokenFormer on Node

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}
run "tokenformer <command> --help" for its options`;

async function main(argv: string[]): Promise<void> {
  const [name = '', ...rest] = argv;
  const command = COMMANDS[name];
  if (name === '' || name === '--help' || name === '-h') {
    console.log(HELP);
    return;
  }
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}\n\n${HELP}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return;
  }
  const { values, overrides } = parseCommandArgs(command, rest);
  await command.run(values, overrides);
}

/** Usage errors (exit 2): ours, node:util's parseArgs ones, an unknown setting key, an impossible growth. */
function isUsageError(e: unknown): boolean {
  if (e instanceof UsageError) return true;
  const { name, code } = (e ?? {}) as { name?: unknown; code?: unknown };
  return name === 'ConfigKeyError' || name === 'GrowthError' || name === 'OutputPathError' || name === 'BackendChoiceError' || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
}

// --debug (anywhere): the stack trace of a failure too
const debug = process.argv.includes('--debug');
main(process.argv.slice(2).filter((a) => a !== '--debug')).catch((e: unknown) => {
  console.error(`tokenformer: ${e instanceof Error ? e.message : String(e)}`);
  if (debug && e instanceof Error) console.error(e.stack);
  process.exit(isUsageError(e) ? 2 : 1);
});
