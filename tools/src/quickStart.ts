// A package README's `## Quick start` (DESIGN.md's contract): the first section of the README, with
// one ```sh block holding one `npm install ...` line and one ```js block, an ES module that runs as
// written in an empty folder after that install. The pack check runs exactly these.

export interface QuickStart {
  /** The words after `npm install` (package names, possibly with versions). */
  install: string[];
  /** The ```js block, as written. */
  script: string;
}

export class QuickStartError extends Error {
  override name = 'QuickStartError';
}

/** The quick start of `readme` (its text; `file` names it in errors). */
export function readQuickStart(readme: string, file: string): QuickStart {
  const sections = readme.split(/^## /m);
  const first = sections[1];
  if (first === undefined || !first.startsWith('Quick start\n')) throw new QuickStartError(`${file}: the first section must be "## Quick start"`);
  const blocks = [...first.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
  const sh = blocks.filter((b) => b.lang === 'sh');
  const js = blocks.filter((b) => b.lang === 'js');
  if (sh.length !== 1 || js.length !== 1 || blocks.length !== 2) {
    throw new QuickStartError(`${file}: "## Quick start" must hold one \`\`\`sh block and one \`\`\`js block (found: ${blocks.map((b) => b.lang || 'plain').join(', ') || 'none'})`);
  }
  const lines = sh[0]!.body.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const words = lines.length === 1 ? lines[0]!.trim().split(/\s+/) : [];
  if (words[0] !== 'npm' || words[1] !== 'install' || words.length < 3) throw new QuickStartError(`${file}: the \`\`\`sh block must be one \`npm install <packages>\` line`);
  return { install: words.slice(2), script: js[0]!.body };
}
