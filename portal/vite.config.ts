import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the gateway at /portal/ (gateway/src/portal): relative URLs, so it also works behind a path prefix; every
// asset is a file of dist/ (no CDN, no web font).
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', assetsDir: 'assets', emptyOutDir: true, sourcemap: false, assetsInlineLimit: 0 },
});
