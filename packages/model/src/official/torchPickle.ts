// What a plain `torch.save(state_dict)` pickle may contain: an OrderedDict of tensors rebuilt by
// `torch._utils._rebuild_tensor_v2` (or `_rebuild_parameter`) from typed storages named by
// persistent ids. Anything else is refused. Storage and tensor references are checked against each
// other here, before a single storage byte is read.
import { TorchFileError } from '../errors.js';
import type { SafetensorsDtype } from '../safetensors.js';
import { PyDict, PyGlobal, PyObject, PyTuple, unpickle, type PickleHooks, type PyValue } from './pickle.js';

export type TorchFloatDtype = Extract<SafetensorsDtype, 'F32' | 'F16' | 'BF16' | 'F64'>;

export const DTYPE_BYTES: Record<TorchFloatDtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };

/** torch's legacy typed-storage classes (still what `torch.save` names) → element type. */
export const STORAGE_DTYPES: Record<string, TorchFloatDtype> = {
  'torch.FloatStorage': 'F32',
  'torch.HalfStorage': 'F16',
  'torch.BFloat16Storage': 'BF16',
  'torch.DoubleStorage': 'F64',
};

const ORDERED_DICT = 'collections.OrderedDict';
const REBUILD_TENSOR = 'torch._utils._rebuild_tensor_v2';
const REBUILD_PARAMETER = 'torch._utils._rebuild_parameter';

export const ALLOWED_GLOBALS: ReadonlySet<string> = new Set([ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER, ...Object.keys(STORAGE_DTYPES)]);

/** A storage named by a persistent id: `numel` elements of `dtype`, bytes found by `key`. */
export class StorageRef extends PyObject {
  constructor(readonly key: string, readonly dtype: TorchFloatDtype, readonly numel: number) {
    super();
  }
  get byteLength(): number {
    return this.numel * DTYPE_BYTES[this.dtype];
  }
}

/** A tensor as a strided view of a storage (offsets and strides in elements). */
export class TensorRef extends PyObject {
  constructor(readonly storage: StorageRef, readonly storageOffset: number, readonly shape: number[], readonly stride: number[]) {
    super();
  }
  get numel(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}

function fail(message: string, at?: number): never {
  throw new TorchFileError(`pickle: ${message}${at === undefined ? '' : ` (at byte ${at})`}`);
}

function intTuple(value: PyValue, what: string, at: number): number[] {
  if (!(value instanceof PyTuple) || value.items.some((v) => typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)) {
    return fail(`${what} is not a tuple of non-negative integers`, at);
  }
  return value.items as number[];
}

function rebuildTensor(args: PyValue[], at: number): TensorRef {
  const [storage, offset, size, stride] = args;
  if (args.length < 6 || args.length > 7) fail(`${REBUILD_TENSOR} takes 6 or 7 arguments, got ${args.length}`, at);
  if (!(storage instanceof StorageRef)) return fail(`${REBUILD_TENSOR}'s first argument is not a storage`, at);
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) fail('a storage offset is not a non-negative integer', at);
  const shape = intTuple(size!, 'a tensor size', at);
  const strides = intTuple(stride!, 'a tensor stride', at);
  if (shape.length !== strides.length) fail(`size (${shape}) and stride (${strides}) differ in rank`, at);
  let numel = 1;
  let last = offset as number;
  for (let i = 0; i < shape.length; i++) {
    numel *= shape[i]!;
    last += (shape[i]! - 1) * strides[i]!;
    if (numel > Number.MAX_SAFE_INTEGER || last > Number.MAX_SAFE_INTEGER) fail(`tensor size (${shape}) is absurd`, at);
  }
  if (numel > 0 && last >= storage.numel) {
    fail(`a tensor of size (${shape}), stride (${strides}) at offset ${offset} reaches element ${last} of storage ${storage.key}, which has ${storage.numel}`, at);
  }
  return new TensorRef(storage, offset as number, shape, strides);
}

/**
 * Unpickles a state-dict pickle. Persistent ids are `('storage', type, key, location, numel)`
 * (zip) or the same plus `view_metadata` (legacy); storages shared by several tensors stay shared.
 */
export function unpickleStateDict(bytes: Uint8Array, start = 0): { tensors: Map<string, TensorRef>; end: number } {
  const storages = new Map<string, StorageRef>();
  const hooks: PickleHooks = {
    allowedGlobals: ALLOWED_GLOBALS,
    reduce(callable, args, at) {
      switch (callable.qualifiedName) {
        case ORDERED_DICT:
          if (args.items.length !== 0) fail(`${ORDERED_DICT} called with arguments`, at);
          return new PyDict();
        case REBUILD_TENSOR:
          return rebuildTensor(args.items, at);
        case REBUILD_PARAMETER:
          if (!(args.items[0] instanceof TensorRef)) fail(`${REBUILD_PARAMETER} of something that is not a tensor`, at);
          return args.items[0]!;
        default:
          return fail(`${callable.qualifiedName} cannot be called`, at);
      }
    },
    persistentLoad(pid, at) {
      const items = pid instanceof PyTuple ? pid.items : [];
      const [tag, type, key, location, numel, view] = items;
      if (tag !== 'storage' || (items.length !== 5 && items.length !== 6)) fail('a persistent id is not a storage', at);
      if (!(type instanceof PyGlobal) || !(type.qualifiedName in STORAGE_DTYPES)) fail('a storage has no known float type', at);
      if (typeof key !== 'string' || typeof location !== 'string') fail('a storage key or location is not a string', at);
      if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) fail('a storage size is not a non-negative integer', at);
      if (view !== undefined && view !== null) fail('legacy storage views are not supported', at);
      const dtype = STORAGE_DTYPES[(type as PyGlobal).qualifiedName]!;
      const known = storages.get(key as string);
      if (known && (known.dtype !== dtype || known.numel !== numel)) fail(`storage ${key} is declared twice with different types or sizes`, at);
      const storage = known ?? new StorageRef(key as string, dtype, numel as number);
      storages.set(storage.key, storage);
      return storage;
    },
  };
  const { value, end } = unpickle(bytes, start, hooks);
  if (!(value instanceof PyDict)) fail('the pickle is not a dict (a plain state dict is expected)');
  const tensors = new Map<string, TensorRef>();
  for (const [name, tensor] of (value as PyDict).map) {
    if (typeof name !== 'string') fail(`state dict key ${name} is not a string`);
    if (!(tensor instanceof TensorRef)) {
      fail(`state dict entry ${JSON.stringify(name)} is not a tensor (a training checkpoint rather than a plain state dict? save model.state_dict())`);
    }
    tensors.set(name as string, tensor as TensorRef);
  }
  return { tensors, end };
}

/** Unpickles a small plain value (the legacy format's header pickles): no globals, no storages. */
export function unpicklePlain(bytes: Uint8Array, start: number): { value: PyValue; end: number } {
  return unpickle(bytes, start, {
    allowedGlobals: new Set(),
    reduce: (c, _a, at) => fail(`${c.qualifiedName} cannot be called`, at),
    persistentLoad: (_p, at) => fail('a persistent id outside the state dict', at),
  });
}
