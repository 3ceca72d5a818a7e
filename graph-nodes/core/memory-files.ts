// A file layer that keeps one reserved folder in memory: a sweep trains a node's weights into it
// at each grid point and the node reads them back from it, so a sweep never writes over the
// user's weights file (or anything else on disk). Every other path goes to the wrapped host as is.
import { FileNotFoundError } from './file-not-found';
import type { FileHost } from './node-definition';

/** The folder (relative to the graph's) whose files live only in memory. */
export const SCRATCH_FOLDER = '.principia-sweep';

export class MemoryFileLayer implements FileHost {
  /** By normalised path: a Map, because paths come from untrusted graph files. */
  private readonly scratch = new Map<string, Uint8Array>();

  constructor(private readonly host: FileHost) {}

  async read(path: string): Promise<Uint8Array> {
    const key = scratchKey(path);
    if (key === undefined) return this.host.read(path);
    const bytes = this.scratch.get(key);
    // The folder is never on disk, so a miss is a missing file, not a read of the host's.
    if (!bytes) throw new FileNotFoundError(path);
    return bytes.slice();
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const key = scratchKey(path);
    if (key === undefined) return this.host.write(path, bytes);
    this.scratch.set(key, bytes.slice());
  }

  /** Whether a file under the reserved folder has been written (false for any other path). */
  has(path: string): boolean {
    const key = scratchKey(path);
    return key !== undefined && this.scratch.has(key);
  }
}

/**
 * The path's key when it lies in the reserved folder (`.principia-sweep/a.json`,
 * `./.principia-sweep//a.json`); undefined for every other path, absolute and `..` ones included.
 */
export function scratchKey(path: string): string | undefined {
  if (/^(?:[A-Za-z]:|[\\/]|~)/u.test(path)) return undefined;
  const parts = path.split(/[\\/]+/u).filter((part) => part !== '' && part !== '.');
  if (parts.includes('..') || parts[0] !== SCRATCH_FOLDER || parts.length < 2) return undefined;
  return parts.join('/');
}
