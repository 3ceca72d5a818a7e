// Where a graph run from the command line may read and write: inside the graph's folder, plus
// what the user names on the command line — folders (--allow-read, --allow-write) and files
// (--set on a file param). The compiler refuses other paths written in the graph before anything
// runs; the file host re-checks every access on real paths, symlinks followed.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { CompileOptions } from '../core/compile';
import type { FileAccessRules } from '../runtime/node-files';
import type { FolderGrants } from './arguments';

export interface GraphFilePolicy {
  readonly graphFolder: string;
  /** The file host's rules (without the cancel signal, which the engine session adds). */
  readonly rules: FileAccessRules;
  /** For compileGraph: the paths the user chose, which may lie outside the graph's folder. */
  readonly trustedPath: NonNullable<CompileOptions['trustedPath']>;
}

export function graphFilePolicy(
  graphPath: string,
  grants: FolderGrants,
  chosenFiles: ReadonlySet<string>,
  cwd = process.cwd(),
): GraphFilePolicy {
  const graphFolder = dirname(resolve(cwd, graphPath));
  const readFolders = [graphFolder, ...grants.allowRead.map((folder) => resolve(cwd, folder))];
  const writeFolders = [graphFolder, ...grants.allowWrite.map((folder) => resolve(cwd, folder))];
  return {
    graphFolder,
    rules: { readFolders, writeFolders, chosenFiles },
    trustedPath(path, access) {
      const absolute = resolve(graphFolder, path);
      if (chosenFiles.has(absolute)) return true;
      // Write folders are readable too, so a file the node reads and writes needs a write folder.
      const folders = access === 'read' ? [...readFolders, ...writeFolders] : writeFolders;
      return folders.some((folder) => isInside(folder, absolute));
    },
  };
}

/** Lexically inside (the file host follows symlinks when the file is used). */
function isInside(folder: string, path: string): boolean {
  const fromFolder = relative(folder, path);
  return fromFolder !== '' && !fromFolder.startsWith('..') && !isAbsolute(fromFolder);
}
