// One Content-Security-Policy for every way the renderer is served: Electron sets it as a response
// header, the web build puts it in a <meta> tag. Kept free of Node and Electron imports so the
// vite configs can import it too.

export interface CspOptions {
  /** The dev server pushes hot updates over a websocket; a built app never needs one. */
  readonly allowDevServerSocket?: boolean;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = ["'self'"];
  if (options.allowDevServerSocket) connect.push('ws://127.0.0.1:*', 'ws://localhost:*');
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    // tfjs-backend-wasm compiles its .wasm module; nothing else needs eval.
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'worker-src': ["'self'", 'blob:'],
    // React Flow positions nodes with inline style attributes, and vite injects <style> in dev.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': connect,
    'object-src': ["'none'"],
    // Nothing in the app is framed or frames anything.
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * Cross-origin isolation: with these two headers on its pages the renderer may share memory
 * between threads (SharedArrayBuffer), which onnxruntime's and tfjs's wasm kernels need to use
 * more than one core. The app loads nothing from other origins, so nothing is lost.
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
