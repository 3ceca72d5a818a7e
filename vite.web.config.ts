// The renderer as a plain web app: `npm run dev:web` serves it, `npm run build:web` writes dist-web/.
import { defineConfig, mergeConfig } from 'vite';
import { rendererViteConfig, repositoryRoot } from './renderer/build/renderer-vite-config';

export const WEB_PORT = 5173;
export const PREVIEW_PORT = 4317;
// PRINCIPIA_WEB_OUT lets browser-test runs side by side each build and serve their own copy.
const outDir = process.env['PRINCIPIA_WEB_OUT'] ?? `${repositoryRoot}/dist-web`;

export default defineConfig(
  mergeConfig(rendererViteConfig(), {
    base: './',
    server: { host: '127.0.0.1', port: WEB_PORT, strictPort: true },
    preview: { host: '127.0.0.1', port: PREVIEW_PORT, strictPort: true },
    build: { outDir, emptyOutDir: true },
  }),
);
