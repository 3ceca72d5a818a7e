// Serves the built renderer from app://principia/ instead of file://. Chromium treats file:// as an
// opaque origin, which breaks fetch (tfjs loads its .wasm with it) and makes 'self' in the CSP
// meaningless; a privileged standard scheme behaves like an https origin. Which file a request
// may get is decided in renderer-files.ts.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './content-security-policy';
import { RENDERER_SCHEME, rendererFileFor } from './renderer-files';

/** Must run before the app is ready. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: RENDERER_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ]);
}

export function serveRenderer(rendererFolder: string, policy: string): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const path = await rendererFileFor(rendererFolder, request.url);
    if (!path) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(path).href);
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', policy);
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) {
      headers.set(name, value);
    }
    return new Response(response.body, { status: response.status, headers });
  });
}
