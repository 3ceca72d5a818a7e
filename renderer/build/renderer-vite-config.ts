// Vite settings shared by the browser build (vite.web.config.ts) and the desktop build
// (electron.vite.config.ts), so both serve the same renderer the same way.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin, UserConfig } from 'vite';
import {
  contentSecurityPolicy,
  CROSS_ORIGIN_ISOLATION_HEADERS,
} from '../../app/content-security-policy';
import { presetFilesPlugin } from './preset-files';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
export const rendererRoot = fileURLToPath(new URL('..', import.meta.url));

/** Puts the app's CSP in index.html so the browser build runs under the same rules as Electron. */
function contentSecurityPolicyMeta(): Plugin {
  let isDevServer = false;
  return {
    name: 'principia:csp-meta',
    configResolved(config) {
      isDevServer = config.command === 'serve' && !config.isProduction;
    },
    transformIndexHtml() {
      const policy = contentSecurityPolicy({ allowDevServerSocket: isDevServer });
      return [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: policy },
          injectTo: 'head-prepend',
        },
      ];
    },
  };
}

export function rendererViteConfig(): UserConfig {
  return {
    root: rendererRoot,
    plugins: [contentSecurityPolicyMeta(), presetFilesPlugin(join(repositoryRoot, 'presets'))],
    // The renderer imports the engine (../graph-nodes) and presets from outside its root; its
    // pages are cross-origin isolated, as in Electron, so the wasm kernels get their threads.
    server: { fs: { allow: [repositoryRoot] }, headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
    preview: { headers: { ...CROSS_ORIGIN_ISOLATION_HEADERS } },
    // Module workers let the engine worker use the same ES imports as the page.
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      // The engine worker carries tfjs and four backends; it is loaded once, off the UI thread.
      chunkSizeWarningLimit: 4096,
      rolldownOptions: {
        onwarn(warning, warn) {
          // React Flow marks itself "use client" for server-component bundlers; meaningless here.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
          warn(warning);
        },
      },
    },
  };
}
