// The demo page. It imports the package exactly as a user would ('elution' -> dist/index.js, the
// same ESM entry Node uses), so `npm run build` must have run first (the npm scripts do it).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [
      { find: /^elution$/, replacement: dist('index.js') },
      { find: /^elution\/wasm-embedded$/, replacement: dist('engine/wasm-embedded.js') },
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
