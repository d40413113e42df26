import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/demo.ts', 'src/bench.ts', 'src/packCheck.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  external: [/^@tensorflow\//, /^@tokenformer\//],
});
