import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'wasm/index': 'src/wasm/index.ts', 'webgpu/index': 'src/webgpu/index.ts' },
  format: ['esm'],
  dts: false, // declarations: tsc, one .d.ts per source file (no hashed chunk names in editor hovers)
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: [/^@tensorflow\//],
});
