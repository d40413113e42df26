export { pattention, pattentionKeysT, type PattentionOptions } from './pattention.js';
export { nonlinearNorm, gelu, defaultTau, NORM_ACTIVATION_TYPES, type NormActivationType } from './norms.js';
export { matMul2d, matMulBT, SMALL_M_ROWS } from './matMul.js';
export { Pattention, type PattentionArgs, type PattentionConfig } from './layer.js';
export { KEY_INIT_STD, wangInitStd } from './init.js';
export { PattentionError, PattentionConfigError, PattentionShapeError } from './errors.js';
export { typedCustomGrad, type CustomGradResult } from './customGrad.js';
export { transpose2d } from './transpose2d.js';
