// The FileHost for Node hosts (CLI, tests): params name files on disk. Relative paths resolve
// against one base directory, so a graph file can name its data beside itself.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { FileHost } from '../core/node-definition';

export function nodeFileHost(baseDir: string): FileHost {
  const absolute = (path: string): string => resolve(baseDir, path);
  return {
    async read(path) {
      const bytes = await readFile(absolute(path));
      // Copy out of Node's Buffer so callers get a plain, exactly-sized Uint8Array.
      return new Uint8Array(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
    },
    async write(path, bytes) {
      await writeFileAtomically(absolute(path), bytes);
    },
  };
}

/**
 * Writes through a temporary file in the same directory and renames it into place, so a reader
 * (or a crash) never sees a half-written file. Same directory keeps the rename on one file system.
 */
export async function writeFileAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const temporary = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temporary, bytes, { flush: true });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
