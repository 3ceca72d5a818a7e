// The one message every host gives for a file a graph names that is not there, whatever the host
// (the CLI's disk, the desktop app's main process, a web server that answers with its index page):
// `file not found: PATH (resolved from FOLDER)`. Nodes pass it on unchanged, never as a parse error.

const PREFIX = 'file not found: ';
const FOLDER_OPENING = ' (resolved from ';

export interface FileNotFoundOptions {
  readonly cause?: unknown;
  /** Advice appended after the message ("If this node has not been trained yet, …"). */
  readonly hint?: string;
}

/** `path` as the graph names it; `folder` is what a relative path was resolved from. */
export class FileNotFoundError extends Error {
  readonly path: string;
  readonly folder: string | undefined;

  constructor(path: string, folder?: string, options: FileNotFoundOptions = {}) {
    const where = folder === undefined ? '' : `${FOLDER_OPENING}${folder})`;
    super(
      withHint(`${PREFIX}${path}${where}`, options.hint),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'FileNotFoundError';
    this.path = path;
    this.folder = folder;
  }

  /** The same error with advice appended. */
  withHint(hint: string): FileNotFoundError {
    return rebuilt(withHint(this.message, hint), this.path, this.folder, this);
  }
}

function withHint(message: string, hint: string | undefined): string {
  if (!hint) return message;
  return `${message}${/[.!?]$/u.test(message) ? '' : '.'} ${hint}`;
}

function rebuilt(
  message: string,
  path: string,
  folder: string | undefined,
  cause: unknown,
): FileNotFoundError {
  const error = new FileNotFoundError(path, folder, { cause });
  error.message = message;
  return error;
}

/**
 * The FileNotFoundError `error` is, also after it crossed a boundary that keeps only its name and
 * message (Comlink between the engine worker and the page) or only its text (Electron's IPC, which
 * rejects with "Error invoking remote method 'file:read': FileNotFoundError: file not found: …").
 */
export function asFileNotFound(error: unknown): FileNotFoundError | undefined {
  if (error instanceof FileNotFoundError) return error;
  if (!(error instanceof Error)) return undefined;
  const at = error.message.indexOf(PREFIX);
  if (at < 0 || (error.name !== 'FileNotFoundError' && !isCrossedBoundary(error.message, at))) {
    return undefined;
  }
  const message = error.message.slice(at);
  const rest = message.slice(PREFIX.length);
  const folderAt = rest.lastIndexOf(FOLDER_OPENING);
  const close = folderAt < 0 ? -1 : rest.indexOf(')', folderAt);
  const path = folderAt < 0 ? rest : rest.slice(0, folderAt);
  const folder = close < 0 ? undefined : rest.slice(folderAt + FOLDER_OPENING.length, close);
  return rebuilt(message, path, folder, error);
}

/** "file not found: …" at the start, or right after a "FileNotFoundError: " a wrapper kept. */
function isCrossedBoundary(message: string, at: number): boolean {
  return at === 0 || message.slice(0, at).endsWith('FileNotFoundError: ');
}

export function isFileNotFound(error: unknown): boolean {
  return asFileNotFound(error) !== undefined;
}

/** Node's code for a path that is not there (ENOTDIR: a folder on the way is a file). */
export function isMissingFileCode(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
