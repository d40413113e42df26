// WGSL has no erf: Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), the approximation
// tfjs-backend-webgpu's own Erf uses, so the fused kernels and the composed ops agree.
export const WGSL_ERF = `
fn erf(x: f32) -> f32 {
  let a = abs(x);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return sign(x) * y;
}`;
