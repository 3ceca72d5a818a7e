// `electron-vite dev|build`: main and preload from app/, the renderer from renderer/ (shared with
// the web build). Outputs go to out/{main,preload,renderer}; package.json "main" points at out/main.
import { defineConfig, mergeConfig } from 'electron-vite';
import { rendererViteConfig, repositoryRoot } from './renderer/build/renderer-vite-config';

export default defineConfig({
  main: {
    build: {
      outDir: `${repositoryRoot}/out/main`,
      rolldownOptions: {
        input: { index: `${repositoryRoot}/app/main.ts` },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: `${repositoryRoot}/out/preload`,
      // A sandboxed preload cannot load ES modules: it must be one CommonJS file.
      rolldownOptions: {
        input: { index: `${repositoryRoot}/app/preload.ts` },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: mergeConfig(rendererViteConfig(), {
    build: {
      outDir: `${repositoryRoot}/out/renderer`,
      rolldownOptions: { input: `${repositoryRoot}/renderer/index.html` },
    },
  }),
});
