import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts', 'src/experimentGrowth.ts', 'src/backend.ts', 'src/checkpointPath.ts', 'src/wasmThreads.ts', 'src/atomicFile.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  external: [/^@tensorflow\//, /^@tokenformer\//, 'webgpu'],
});
