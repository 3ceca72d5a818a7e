// The FileHost for Node hosts (CLI, tests): params name files on disk. Relative paths resolve
// against the graph's folder, and a graph reaches only the folders its host allows — its own,
// plus what the user granted on the command line — after symlinks are followed, reading regular
// files only, with a size cap and reads a cancel stops.
import { isAbsolute, resolve } from 'node:path';
import { FileNotFoundError, isMissingFileCode } from '../core/file-not-found';
import type { FileHost } from '../core/node-definition';
import {
  OutsideFolderError,
  readRegularFile,
  realPathOf,
  resolveInside,
  writeFileAtomically,
} from './confined-files';

export interface FileAccessRules {
  /** Folders reads may reach (a path's real path must lie inside one). */
  readonly readFolders: readonly string[];
  /** Folders writes may reach. */
  readonly writeFolders: readonly string[];
  /** Absolute paths the user named themselves (a CLI `--set`): allowed wherever they are. */
  readonly chosenFiles?: ReadonlySet<string>;
  /** Stops reads in progress (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Largest file a read accepts. */
  readonly maxReadBytes?: number;
}

/**
 * Files relative to `baseDir`, confined by `rules` — by default to `baseDir` itself for reads and
 * writes. `'anywhere'` is for paths the user typed (the CLI's `--save`), which go where they say.
 */
export function nodeFileHost(
  baseDir: string,
  rules: FileAccessRules | 'anywhere' = { readFolders: [baseDir], writeFolders: [baseDir] },
): FileHost {
  const allowed = async (path: string, write: boolean): Promise<string> => {
    const absolute = resolve(baseDir, path);
    if (rules === 'anywhere' || rules.chosenFiles?.has(absolute)) return realPathOf(absolute);
    const folders = write ? rules.writeFolders : [...rules.readFolders, ...rules.writeFolders];
    let refusal: unknown;
    for (const folder of folders) {
      try {
        return await resolveInside(folder, absolute);
      } catch (error) {
        if (!(error instanceof OutsideFolderError)) throw error;
        refusal ??= error;
      }
    }
    throw (
      refusal ?? new Error(`refusing "${path}": no folder may be ${write ? 'written' : 'read'}`)
    );
  };
  const limits: Pick<FileAccessRules, 'signal' | 'maxReadBytes'> =
    rules === 'anywhere' ? {} : rules;
  return {
    async read(path) {
      try {
        return await readRegularFile(await allowed(path, false), {
          ...(limits.signal ? { signal: limits.signal } : {}),
          ...(limits.maxReadBytes !== undefined ? { maxBytes: limits.maxReadBytes } : {}),
        });
      } catch (error) {
        // One message for a path that is not there, naming the folder a relative one was
        // resolved from; refusals (outside the folder, not a regular file) keep their own.
        if (!isMissingFileCode(error)) throw error;
        throw new FileNotFoundError(path, isAbsolute(path) ? undefined : baseDir, { cause: error });
      }
    },
    async write(path, bytes) {
      await writeFileAtomically(await allowed(path, true), bytes);
    },
  };
}
