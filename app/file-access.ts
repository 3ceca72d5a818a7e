// The files a graph names, read and written for the renderer (file:read, file:write). Every path
// is judged by its real location: it must lie in the window's document folder (or, for reads, the
// bundled presets), be a regular file of bounded size, and a weights write must not replace a graph,
// whatever its name. Messages name the path and why, for the renderer to show.
import { mkdir, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute } from 'node:path';
import { FileNotFoundError, isMissingFileCode } from '../graph-nodes/core/file-not-found';
import {
  DEFAULT_MAX_READ_BYTES,
  OutsideFolderError,
  describeFileKind,
  readRegularFile,
  realPathOf,
  resolveInside,
  writeFileAtomically,
} from '../graph-nodes/runtime/confined-files';
import type { DocumentGrant, DocumentGrants } from './document-grants';
import { fileHoldsGraph } from './files/graph-content';

const READABLE_EXTENSIONS = ['.npy', '.json', '.bin', '.onnx', '.csv'];
/** Training writes a weights manifest and its binary; nothing else is written this way. */
const WRITABLE_EXTENSIONS = ['.json', '.bin'];

export interface FileLimits {
  /** Largest file file:read returns. */
  readonly maxReadBytes: number;
  /** Largest weights file file:write accepts. */
  readonly maxWriteBytes: number;
}

export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxReadBytes: DEFAULT_MAX_READ_BYTES,
  maxWriteBytes: DEFAULT_MAX_READ_BYTES,
};

function hasExtension(path: string, extensions: readonly string[]): boolean {
  return extensions.includes(extname(path).toLowerCase());
}

function requireAbsolute(path: string, verb: string): void {
  // Relative paths mean nothing here: the renderer resolves them against the document's folder.
  if (!isAbsolute(path))
    throw new Error(`refusing to ${verb} "${path}": the path must be absolute`);
}

export class FileAccess<W> {
  constructor(
    private readonly grants: DocumentGrants<W>,
    /** Folders every window may read and none may write: the bundled presets. */
    private readonly readOnlyFolders: readonly string[] = [],
    private readonly limits: FileLimits = DEFAULT_FILE_LIMITS,
  ) {}

  async readData(window: W, requestedPath: string): Promise<Uint8Array> {
    requireAbsolute(requestedPath, 'read');
    if (!hasExtension(requestedPath, READABLE_EXTENSIONS)) {
      throw new Error(
        `refusing to read "${requestedPath}": only ${READABLE_EXTENSIONS.join(', ')} files`,
      );
    }
    const grant = this.grants.get(window);
    const { path, signal } = await this.locateForRead(requestedPath, grant).catch(
      (error: unknown) => {
        // The document's folder itself is gone: so is the file.
        throw isMissingFileCode(error) ? notFound(requestedPath, error) : error;
      },
    );
    if (!hasExtension(path, READABLE_EXTENSIONS)) {
      throw new Error(`refusing to read "${requestedPath}": it leads to ${path}`);
    }
    try {
      return await readRegularFile(path, { maxBytes: this.limits.maxReadBytes, signal });
    } catch (error) {
      if (isMissingFileCode(error)) throw notFound(requestedPath, error);
      throw namingRequest(error, requestedPath, path);
    }
  }

  /**
   * Writes trained weights: a .json or .bin file inside the window's document folder (not one
   * opened from a PNG), never over a graph. Returns the real path written.
   */
  async writeData(window: W, requestedPath: string, bytes: Uint8Array): Promise<string> {
    requireAbsolute(requestedPath, 'write');
    if (bytes.length > this.limits.maxWriteBytes) {
      throw new Error(
        `refusing to write "${requestedPath}": ${bytes.length} bytes is over the limit of ${this.limits.maxWriteBytes}`,
      );
    }
    const grant = this.grants.get(window);
    if (!grant) {
      throw new Error(`refusing to write "${requestedPath}": save the graph in that folder first`);
    }
    if (!grant.writable) {
      throw new Error(
        `refusing to write "${requestedPath}": a graph opened from an image may only read beside it; save it as a graph file first`,
      );
    }
    let path = await resolveInside(grant.folder, requestedPath);
    if (await this.isReadOnly(path)) {
      throw new Error(`refusing to write "${requestedPath}": the bundled presets are read-only`);
    }
    await this.refuseUnlessWeightsTarget(requestedPath, path);
    await mkdir(dirname(path), { recursive: true });
    // Folders made just now could have been swapped for symlinks: judge the path once more.
    path = await resolveInside(grant.folder, path);
    await writeFileAtomically(path, bytes);
    return path;
  }

  /** Whether graph:save may write over `path` without a dialog: only the window's document. */
  async mayOverwriteGraph(window: W, path: string): Promise<boolean> {
    const savePath = this.grants.get(window)?.savePath;
    if (!savePath || !isAbsolute(path)) return false;
    const real = await realPathOf(path).catch(() => undefined);
    return real === savePath && !(await this.isReadOnly(real));
  }

  /** Inside one of the read-only folders (a graph opened from the presets folder grants it). */
  private async isReadOnly(path: string): Promise<boolean> {
    for (const folder of this.readOnlyFolders) {
      const inside = await resolveInside(folder, path).then(
        () => true,
        () => false,
      );
      if (inside) return true;
    }
    return false;
  }

  private async locateForRead(
    requestedPath: string,
    grant: DocumentGrant | undefined,
  ): Promise<{ path: string; signal?: AbortSignal }> {
    let refusal: OutsideFolderError | undefined;
    const folders = [
      ...(grant ? [{ folder: grant.folder, signal: grant.signal }] : []),
      ...this.readOnlyFolders.map((folder) => ({ folder, signal: undefined })),
    ];
    for (const { folder, signal } of folders) {
      try {
        return { path: await resolveInside(folder, requestedPath), signal };
      } catch (error) {
        // Another folder may hold it; anything but "outside" is about the path itself.
        if (!(error instanceof OutsideFolderError)) {
          if (folder !== grant?.folder && isMissingFolder(error)) continue;
          throw error;
        }
        refusal ??= error;
      }
    }
    if (grant && refusal) throw refusal;
    throw new Error(
      `refusing to read "${requestedPath}": open or save a graph in its folder first`,
    );
  }

  private async refuseUnlessWeightsTarget(requestedPath: string, path: string): Promise<void> {
    if (
      !hasExtension(requestedPath, WRITABLE_EXTENSIONS) ||
      !hasExtension(path, WRITABLE_EXTENSIONS)
    ) {
      throw new Error(
        `refusing to write "${requestedPath}": weights go in ${WRITABLE_EXTENSIONS.join(' or ')} files`,
      );
    }
    const existing = await stat(path).catch(() => undefined);
    if (!existing) return;
    if (!existing.isFile()) {
      throw new Error(`refusing to write "${requestedPath}": it is ${describeFileKind(existing)}`);
    }
    if (await fileHoldsGraph(path)) {
      throw new Error(`refusing to write "${requestedPath}": it holds a graph, not weights`);
    }
  }
}

/**
 * The path the renderer asked for (absolute: it resolved it against the document's folder, and
 * names that folder itself when it shows the message); only the text crosses IPC.
 */
function notFound(requestedPath: string, cause: unknown): FileNotFoundError {
  return new FileNotFoundError(requestedPath, undefined, { cause });
}

function isMissingFolder(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** A refusal about the real file also names the path the graph asked for. */
function namingRequest(error: unknown, requestedPath: string, path: string): unknown {
  if (!(error instanceof Error) || path === requestedPath) return error;
  return new Error(`${error.message} (asked for as "${requestedPath}")`, { cause: error });
}
