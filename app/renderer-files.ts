// Which file a request for the renderer's own pages (app://principia/…) may be answered with:
// only a regular file whose real path lies inside the built renderer folder. The URL is untrusted:
// `..` (plain or percent-encoded), encoded separators and symlinks must not lead out.
import { stat } from 'node:fs/promises';
import { resolveInside } from '../graph-nodes/runtime/confined-files';

export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'principia';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;

/** The real path of the file `requestUrl` names in `rendererFolder`, or undefined (→ 404). */
export async function rendererFileFor(
  rendererFolder: string,
  requestUrl: string,
): Promise<string | undefined> {
  let pathname: string;
  try {
    const url = new URL(requestUrl);
    if (url.protocol !== `${RENDERER_SCHEME}:` || url.host !== RENDERER_HOST) return undefined;
    // Decoding can turn %2f into a separator and %2e%2e into "..": judged below, after decoding.
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return undefined; // not a URL, or malformed percent-encoding
  }
  const relativePath = pathname.replace(/^[\\/]+/u, '');
  if (relativePath === '') return undefined;
  try {
    const path = await resolveInside(rendererFolder, relativePath);
    return (await stat(path)).isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}
