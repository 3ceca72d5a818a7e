// The files a graph names (data sets, weights, ONNX models), found the way the CLI finds them:
// a relative path is relative to the graph's own folder. A preset's folder is the app's bundled
// presets/; a desktop file's is its folder on disk. What training writes while the graph has no
// folder to write into stays in this session's memory (and can be downloaded).
import { asFileNotFound, FileNotFoundError } from '../../graph-nodes/core/file-not-found';
import { desktopApi } from '../platform/desktop-api';
import { useFileStore, type DocumentLocation } from './file-store';

const sessionFiles = new Map<string, Uint8Array>();

function isAbsolute(path: string): boolean {
  return /^(?:[a-z][a-z\d+.-]*:|\/|\\\\)/iu.test(path);
}

/** `folder` + `path` with "." and ".." segments folded; keeps the folder's separator style. */
export function joinPath(folder: string, path: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  const parts = `${folder}${separator}${path}`.split(/[\\/]/u);
  const joined: string[] = [];
  for (const part of parts) {
    if (part === '.' || (part === '' && joined.length > 0)) continue;
    if (part === '..' && joined.length > 0 && joined.at(-1) !== '..' && joined.at(-1) !== '') {
      joined.pop();
    } else {
      joined.push(part);
    }
  }
  return joined.join(separator);
}

/** Where the graph's relative paths point, or undefined when it has no folder (e.g. a dropped file). */
export function documentFolder(location: DocumentLocation): string | undefined {
  if (location.kind === 'path') return location.path.replace(/[\\/][^\\/]*$/u, '');
  if (location.kind === 'untitled') return location.folder;
  return undefined;
}

export function resolveDocumentPath(path: string): string {
  if (isAbsolute(path)) return path;
  const folder = documentFolder(useFileStore.getState().location);
  return folder === undefined ? path : joinPath(folder, path);
}

/**
 * Reads a file the open graph names. A file that is not there fails with one FileNotFoundError,
 * "file not found: PATH (resolved from FOLDER)", whichever host was asked: the desktop app's main
 * process, the server beside the page — which may answer a missing file with a 404 or, as a
 * single-page-app server does (vite's dev server and preview), with its index.html.
 */
export async function readDocumentFile(path: string): Promise<Uint8Array> {
  const resolved = resolveDocumentPath(path);
  const kept = sessionFiles.get(resolved);
  if (kept) return kept;
  const folder = isAbsolute(path) ? undefined : documentFolder(useFileStore.getState().location);
  const desktop = desktopApi();
  if (desktop && isAbsolute(resolved)) {
    try {
      return await desktop.readFile(resolved);
    } catch (error) {
      // Electron's IPC keeps only the text: the main process named the absolute path it looked
      // for; the message names the path as the graph wrote it and the folder it resolved from.
      if (asFileNotFound(error)) throw new FileNotFoundError(path, folder, { cause: error });
      throw error;
    }
  }
  // The app's own files (presets/…) and, in a browser, anything beside the page.
  const response = await fetch(new URL(resolved, document.baseURI));
  if (isMissingFileResponse(response, resolved)) {
    await response.body?.cancel().catch(() => undefined);
    throw new FileNotFoundError(path, folder, {
      ...(folder === undefined && !isAbsolute(path)
        ? {
            hint: 'This graph has no folder to read it from; give the file as an absolute path or save the graph beside it (desktop app).',
          }
        : {}),
    });
  }
  if (!response.ok) {
    throw new Error(`cannot read "${path}": HTTP ${response.status} for ${resolved}`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * A 404 or 410, or a web page where a data file was asked for: a single-page-app server answers
 * every unknown path with its index.html (status 200, text/html), which would otherwise reach the
 * node as "not JSON: Unexpected token '<'" or "protobuf parsing failed".
 */
export function isMissingFileResponse(
  response: Pick<Response, 'status' | 'headers'>,
  resolved: string,
): boolean {
  if (response.status === 404 || response.status === 410) return true;
  const type = response.headers.get('content-type') ?? '';
  return (
    response.status >= 200 &&
    response.status < 300 &&
    /^\s*text\/html\b/iu.test(type) &&
    !/\.html?(?:[?#]|$)/iu.test(resolved)
  );
}

export interface WrittenFile {
  readonly path: string;
  /** "disk" beside a desktop graph; "session" in memory until the app closes. */
  readonly where: 'disk' | 'session';
}

/** Writes a file the open graph names (trained weights): beside it on disk when it has a folder there. */
export async function writeDocumentFile(path: string, bytes: Uint8Array): Promise<WrittenFile> {
  const resolved = resolveDocumentPath(path);
  sessionFiles.set(resolved, bytes);
  const desktop = desktopApi();
  if (desktop && isAbsolute(resolved)) {
    await desktop.writeDataFile(resolved, bytes);
    return { path: resolved, where: 'disk' };
  }
  return { path: resolved, where: 'session' };
}

/** A file training left in memory, for download. */
export function sessionFile(path: string): Uint8Array | undefined {
  return sessionFiles.get(resolveDocumentPath(path));
}
