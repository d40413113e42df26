// @tokenformer/growth: incremental scaling of TokenFormer by parameter tokens.
export { grow, growConfig, type Growth, type GrownPattention } from './grow.js';
export { measureDeviation, type Deviation } from './deviation.js';
export { GROWTH_INITS, TAU_POLICIES, type GrowthInit, type GrowthOptions, type TauPolicy } from './options.js';
export { GrowthError } from './errors.js';
export { scoreTokens, type PattentionScores, type TokenScores } from './importance.js';
export { prune, resolvePrune, type PruneOptions, type Pruning, type PrunedPattention } from './prune.js';
