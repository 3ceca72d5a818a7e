// File I/O for the main process: the renderer may read only inside folders the user chose through
// a dialog (and the bundled presets), and saves are atomic so a crash never leaves half a graph.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

const READABLE_EXTENSIONS = ['.npy', '.json', '.onnx', '.csv'];

export class FileAccess {
  private readonly roots = new Set<string>();
  /** Graph files the user opened or saved through a dialog: "Save" may overwrite only these. */
  private readonly chosenGraphFiles = new Set<string>();

  constructor(initialRoots: readonly string[] = []) {
    for (const root of initialRoots) this.roots.add(resolve(root));
  }

  /** The user picked this file in a dialog: files beside it (a preset's weights) become readable. */
  grantFolderOf(filePath: string): void {
    this.roots.add(dirname(resolve(filePath)));
    this.chosenGraphFiles.add(resolve(filePath));
  }

  mayOverwrite(filePath: string): boolean {
    return this.chosenGraphFiles.has(resolve(filePath));
  }

  async readData(requestedPath: string): Promise<Uint8Array> {
    const path = resolve(requestedPath);
    if (!READABLE_EXTENSIONS.some((extension) => path.toLowerCase().endsWith(extension))) {
      throw new Error(
        `refusing to read "${requestedPath}": only ${READABLE_EXTENSIONS.join(', ')} files`,
      );
    }
    if (![...this.roots].some((root) => isInside(root, path))) {
      throw new Error(
        `refusing to read "${requestedPath}": open or save a graph in its folder first`,
      );
    }
    return new Uint8Array(await readFile(path));
  }
}

function isInside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot !== '' && !fromRoot.startsWith('..') && !isAbsolute(fromRoot);
}
