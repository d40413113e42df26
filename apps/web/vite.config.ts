import { defineConfig } from 'vite';

// Relative asset paths, so the built page works from any folder it is served from.
export default defineConfig({
  base: './',
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  // the training worker imports the backends dynamically, as the page does: an ES module worker
  worker: { format: 'es' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: false },
});
