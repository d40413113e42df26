// @tokenformer/kernels/webgpu: our WGSL kernels for tfjs-backend-webgpu, registered by the app.
export { registerWebGpuKernels, registerWebGpuLimits, unregisterWebGpuKernels } from './register.js';
export { countWebGpuDispatches, dispatchCount, type DispatchCount } from './counter.js';
