import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts', 'src/experimentGrowth.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  external: [/^@tensorflow\//, /^@tokenformer\//, 'webgpu'],
});
