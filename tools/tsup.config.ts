import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/bench.ts', 'src/benchTokenizer.ts', 'src/benchData.ts', 'src/benchTrainer.ts', 'src/benchEval.ts', 'src/benchEvalGlue.ts', 'src/benchCompare.ts', 'src/benchWebgpu.ts', 'src/benchGpu.ts', 'src/benchMatMul.ts', 'src/packCheck.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'node',
  external: [/^@tensorflow\//, '@tokenformer/model', '@tokenformer/pattention', '@tokenformer/tokenizer', '@tokenformer/data', '@tokenformer/trainer', '@tokenformer/evaluator', '@tokenformer/node-runtime', '@tokenformer/kernels', 'webgpu', 'tokenizers', 'gpt-tokenizer', 'js-tiktoken'],
  // the test helpers are TypeScript sources, so scripts bundle the one they use
  noExternal: ['@tokenformer/testing'],
});
