// A restricted pickle reader: a stack machine for the opcodes a plain `torch.save` of a state dict
// emits (protocols 2–5), which never executes anything. Globals are only names; what a REDUCE of an
// allowed global means is decided by the caller's hooks, and everything else is refused with the
// opcode, the byte offset and the name.
import { TorchFileError } from '../errors.js';

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export class PyDict {
  readonly map = new Map<string | number, PyValue>();
}

export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** An object a hook created (a storage or tensor reference); opaque to the machine. */
export abstract class PyObject {}

export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyValue[] | PyTuple | PyDict | PyGlobal | PyObject;

export interface PickleHooks {
  /** Qualified names (`module.name`) a GLOBAL may load. */
  allowedGlobals: ReadonlySet<string>;
  /** Calls an allowed global with its arguments (REDUCE). */
  reduce(callable: PyGlobal, args: PyTuple, at: number): PyValue;
  /** Resolves a persistent id (BINPERSID). */
  persistentLoad(pid: PyValue, at: number): PyValue;
}

const OPCODE_NAMES: Record<number, string> = {
  0x63: 'GLOBAL', 0x69: 'INST', 0x6f: 'OBJ', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x50: 'PERSID', 0x28: 'MARK',
  0x64: 'DICT', 0x6c: 'LIST', 0x4c: 'LONG', 0x49: 'INT', 0x53: 'STRING', 0x56: 'UNICODE', 0x46: 'FLOAT',
  0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x8b: 'LONG4', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER', 0x8f: 'EMPTY_SET', 0x90: 'ADDITEMS', 0x91: 'FROZENSET',
};

function opcodeName(op: number): string {
  return OPCODE_NAMES[op] ?? `0x${op.toString(16).padStart(2, '0')}`;
}

const MARK = Symbol('mark');
type StackItem = PyValue | typeof MARK;

/** Unpickles one pickle starting at `start`; returns its value and the offset after STOP. */
export function unpickle(bytes: Uint8Array, start: number, hooks: PickleHooks): { value: PyValue; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stack: StackItem[] = [];
  const memo = new Map<number, PyValue>();
  let p = start;
  let opAt = start;
  const fail = (message: string): never => {
    throw new TorchFileError(`pickle: ${message} (at byte ${opAt})`);
  };
  const need = (n: number) => {
    if (n < 0 || p + n > bytes.byteLength) fail(`needs ${n} more bytes but the pickle ends at byte ${bytes.byteLength} (truncated)`);
  };
  const u8 = () => (need(1), bytes[p++]!);
  const u16 = () => (need(2), (p += 2), view.getUint16(p - 2, true));
  const u32 = () => (need(4), (p += 4), view.getUint32(p - 4, true));
  const i32 = () => (need(4), (p += 4), view.getInt32(p - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(p, true);
    p += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail(`length ${v} is absurd`);
    return Number(v);
  };
  const take = (n: number) => (need(n), (p += n), bytes.subarray(p - n, p));
  const text = (n: number) => {
    try {
      return decoder.decode(take(n));
    } catch (e) {
      return e instanceof TorchFileError ? fail(e.message) : fail('a string is not valid UTF-8');
    }
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) fail('a GLOBAL name has no newline');
    const s = text(end - p);
    p++;
    return s;
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) fail('the stack underflows');
    return v as PyValue;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) fail('the stack underflows');
    return v as PyValue;
  };
  const popMark = (): PyValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail('no MARK on the stack');
    const items = stack.splice(at) as PyValue[];
    items.shift();
    return items;
  };
  const loadGlobal = (module: string, name: string): PyGlobal => {
    const global = new PyGlobal(module, name);
    if (!hooks.allowedGlobals.has(global.qualifiedName)) {
      fail(`GLOBAL ${global.qualifiedName} is not allowed in a state dict (allowed: ${[...hooks.allowedGlobals].join(', ')})`);
    }
    return global;
  };
  const setItems = (target: PyValue, items: PyValue[]) => {
    if (!(target instanceof PyDict)) return fail('SETITEM(S) on something that is not a dict');
    if (items.length % 2 !== 0) fail('SETITEMS has an odd number of items');
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i]!;
      if (typeof key !== 'string' && typeof key !== 'number') fail('a dict key is not a string or number');
      target.map.set(key as string | number, items[i + 1]!);
    }
  };
  const appendItems = (target: PyValue, items: PyValue[]) => {
    if (!Array.isArray(target)) return fail('APPEND(S) on something that is not a list');
    target.push(...items);
  };
  const long = (n: number): number | bigint => {
    if (n > 16) fail(`a ${n}-byte integer is absurd in a state dict`);
    const raw = take(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i]!);
    if (n > 0 && raw[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    // Only the legacy format's magic number is this large; it stays a bigint.
    return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };

  for (;;) {
    opAt = p;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('pickle protocol above 5');
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`STOP with ${stack.length} items on the stack`);
        return { value: pop(), end: p };
      case 0x28: stack.push(MARK); break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push(new PyTuple([pop(), b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); stack.push(new PyTuple([pop(), b, c])); break; } // TUPLE3
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: { // BINGET, LONG_BINGET
        const key = op === 0x68 ? u8() : u32();
        if (!memo.has(key)) fail(`memo key ${key} was never stored`);
        stack.push(memo.get(key)!);
        break;
      }
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(long(u8())); break; // LONG1
      case 0x47: need(8); stack.push(view.getFloat64(p, false)); p += 8; break; // BINFLOAT (big-endian)
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x58: stack.push(text(u32())); break; // BINUNICODE
      case 0x8c: stack.push(text(u8())); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(text(u64())); break; // BINUNICODE8
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x8e: stack.push(take(u64()).slice()); break; // BINBYTES8
      case 0x63: { const module = line(); stack.push(loadGlobal(module, line())); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL of non-strings');
        stack.push(loadGlobal(module as string, name as string));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        const callable = pop();
        if (!(callable instanceof PyGlobal)) fail('REDUCE of something that is not an allowed global');
        if (!(args instanceof PyTuple)) fail(`REDUCE of ${(callable as PyGlobal).qualifiedName} without an argument tuple`);
        stack.push(hooks.reduce(callable as PyGlobal, args as PyTuple, opAt));
        break;
      }
      case 0x62: { // BUILD: only a dict's attribute state (an OrderedDict's `_metadata`), which is dropped.
        const state = pop();
        const target = top();
        if (!(target instanceof PyDict) || !(state instanceof PyDict || state === null)) fail('BUILD of something other than a dict\'s attributes');
        break;
      }
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x61: { const v = pop(); appendItems(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); appendItems(top(), items); break; } // APPENDS
      case 0x51: stack.push(hooks.persistentLoad(pop(), opAt)); break; // BINPERSID
      default:
        fail(`opcode ${opcodeName(op)} is not allowed in a state dict`);
    }
  }
}
