// Regular expressions written for Hugging Face's engines (Oniguruma for `Regex` patterns in
// tokenizer.json, Rust's `regex` crate internally) translated into JavaScript's `u`-mode syntax.
// The classes differ: there, `\s`, `\d` and `\w` are Unicode-aware; in JavaScript they are not
// (`\s` even takes U+FEFF and misses U+0085), so they are rewritten into Unicode properties.
import { UnsupportedFeatureError } from './errors.js';

/** Unicode `\w` as Rust's regex crate and Oniguruma define it, as class members. */
const WORD_MEMBERS = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
export const WHITE_SPACE = /\p{White_Space}/u;
/** An unbounded repeat at the start of the text: +, * or {n,}. */
const UNBOUNDED = /^(?:[+*]|\{\d*,\})/;

export const WORD_CHAR = new RegExp(`[${WORD_MEMBERS}]`, 'u');

/** Escape a literal for use inside a JavaScript regex. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * Translate an Oniguruma/Rust pattern into a global, Unicode JavaScript RegExp. `field` names the
 * tokenizer.json field for errors. Constructs with no JavaScript equivalent here (atomic groups,
 * possessive quantifiers, `\h`, `\Z`, non-ASCII case folding) are an `UnsupportedFeatureError`.
 */
export function translateRegex(pattern: string, field: string): RegExp {
  let out = '';
  let inClass = 0;
  let caseless = 0; // depth inside (?i: ... )
  const groupStack: boolean[] = []; // per open group: is it a (?i: group
  const repeats: boolean[] = []; // per open group: does it hold an unbounded repeat (+, *, {n,})?
  const unsupported = (what: string): never => {
    throw new UnsupportedFeatureError(field, pattern, `uses ${what}, which has no JavaScript translation here`);
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) unsupported('a trailing backslash');
      i++;
      switch (n) {
        case 's':
          out += inClass ? '\\p{White_Space}' : '\\p{White_Space}';
          break;
        case 'S':
          out += '\\P{White_Space}';
          break;
        case 'd':
          out += '\\p{Nd}';
          break;
        case 'D':
          out += '\\P{Nd}';
          break;
        case 'w':
          out += inClass ? WORD_MEMBERS : `[${WORD_MEMBERS}]`;
          break;
        case 'W':
          if (inClass) unsupported('\\W inside a character class');
          out += `[^${WORD_MEMBERS}]`;
          break;
        case 'A':
          out += '^';
          break;
        case 'z':
          out += '$';
          break;
        case 'h':
        case 'H':
        case 'Z':
        case 'G':
        case 'K':
        case 'R':
        case 'X':
          unsupported(`\\${n}`);
          break;
        case 'x':
          if (pattern[i + 1] === '{') {
            const close = pattern.indexOf('}', i);
            out += `\\u{${pattern.slice(i + 2, close)}}`;
            i = close;
          } else {
            out += `\\x${pattern.slice(i + 1, i + 3)}`;
            i += 2;
          }
          break;
        case 'p':
        case 'P': {
          const close = pattern.indexOf('}', i);
          if (pattern[i + 1] !== '{' || close < 0) unsupported(`\\${n} without braces`);
          out += pattern.slice(i - 1, close + 1);
          i = close;
          break;
        }
        default:
          out += `\\${n}`;
      }
      continue;
    }
    if (inClass) {
      if (c === '[') unsupported('a nested character class');
      if (c === ']') inClass--;
      if (caseless && /[a-zA-Z]/.test(c)) unsupported('a character class inside (?i:...)');
      out += c;
      continue;
    }
    if (c === '[') {
      inClass++;
      out += c;
      if (pattern[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(') {
      if (pattern.startsWith('(?i:', i)) {
        groupStack.push(true);
        repeats.push(false);
        caseless++;
        out += '(?:';
        i += 3;
        continue;
      }
      if (pattern.startsWith('(?>', i)) unsupported('an atomic group (?>...)');
      if (pattern[i + 1] === '?' && /[imsx-]/.test(pattern[i + 2] ?? '')) unsupported('an inline flag group');
      groupStack.push(false);
      repeats.push(false);
      out += c;
      continue;
    }
    if (c === ')') {
      if (groupStack.pop()) caseless--;
      // A group holding an unbounded repeat, repeated without bound itself ((a+)+, (a*)*, (?:x|y+)*):
      // backtracking explodes on a failing match (41 characters ran past 60 s); Oniguruma times out too.
      const inner = repeats.pop() ?? false;
      if (inner && UNBOUNDED.test(pattern.slice(i + 1))) unsupported('a nested unbounded repeat such as (a+)+ (catastrophic backtracking)');
      out += c;
      continue;
    }
    if (UNBOUNDED.test(pattern.slice(i)) && repeats.length > 0) repeats.fill(true);
    if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+') {
      unsupported('a possessive quantifier');
    }
    if (caseless && /[a-zA-Z]/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      continue;
    }
    if (caseless && c.codePointAt(0)! > 0x7f && c.toLowerCase() !== c.toUpperCase()) {
      unsupported('case-insensitive matching of non-ASCII letters');
    }
    out += c;
  }
  try {
    return new RegExp(out, 'gu');
  } catch (e) {
    throw new UnsupportedFeatureError(field, pattern, `does not compile as a JavaScript regex (${(e as Error).message})`);
  }
}
