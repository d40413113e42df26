// What a growth request says, checked against the model it applies to.
import type { SlotName, TokenFormerConfig } from '@tokenformer/model';
import { checkLayers, checkSlot } from './checks.js';
import { GrowthError } from './errors.js';

/**
 * How the new tokens start. `zero-keys`: zero keys, random values (the paper's §3.3: new scores are
 * 0, GeLU(0) = 0 and the L2 norm of a score row is unchanged, so with τ held the output is too);
 * `random`: keys and values from the model's own initialisers (the official scaling code);
 * `zero`: keys and values zero (exact too, but the values get no gradient until the keys move).
 */
export const GROWTH_INITS = ['zero-keys', 'random', 'zero'] as const;
export type GrowthInit = (typeof GROWTH_INITS)[number];

/** τ after growth: `exact` pins each Pattention's old τ; `official` recomputes τ from the new count (√n). */
export const TAU_POLICIES = ['exact', 'official'] as const;
export type TauPolicy = (typeof TAU_POLICIES)[number];

export interface GrowthOptions {
  /** Parameter tokens to append to each named Pattention (query, key, value, proj, ffn). */
  add: Partial<Record<SlotName, number>>;
  /** The layers to grow (0-based); every layer when absent. */
  layers?: readonly number[];
  /** Default `zero-keys`. */
  init?: GrowthInit;
  /** Default `exact`. */
  tau?: TauPolicy;
  /** Seed of the random new values or tokens; unseeded when absent. */
  seed?: number;
}

export interface ResolvedGrowth {
  add: Map<SlotName, number>;
  layers: number[];
  init: GrowthInit;
  tau: TauPolicy;
  seed: number | undefined;
}

export function resolveGrowth(config: TokenFormerConfig, options: GrowthOptions): ResolvedGrowth {
  const add = new Map<SlotName, number>();
  for (const [slot, m] of Object.entries(options.add ?? {})) {
    checkSlot(slot, `add.${slot}`);
    if (!Number.isInteger(m) || (m as number) < 0) throw new GrowthError(`add.${slot} = ${m}: the number of tokens to add must be an integer >= 0`);
    if ((m as number) > 0) add.set(slot as SlotName, m as number);
  }
  if (add.size === 0) throw new GrowthError('nothing to grow: add at least one token to query, key, value, proj or ffn');
  const layers = checkLayers(config, options.layers);
  if (new Set(layers).size !== layers.length) throw new GrowthError(`layers [${layers}] name a layer twice`);
  const init = options.init ?? 'zero-keys';
  if (!GROWTH_INITS.includes(init)) throw new GrowthError(`init ${JSON.stringify(init)}: choose one of ${GROWTH_INITS.join(', ')}`);
  const tau = options.tau ?? 'exact';
  if (!TAU_POLICIES.includes(tau)) throw new GrowthError(`tau ${JSON.stringify(tau)}: choose one of ${TAU_POLICIES.join(', ')}`);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw new GrowthError(`seed ${options.seed} must be an integer`);
  return { add, layers: layers.sort((a, b) => a - b), init, tau, seed: options.seed };
}
