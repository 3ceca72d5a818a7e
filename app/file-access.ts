// File I/O for the main process: the renderer may read only inside folders the user chose through
// a dialog (and the bundled presets), and saves are atomic so a crash never leaves half a graph.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

const READABLE_EXTENSIONS = ['.npy', '.json', '.bin', '.onnx', '.csv'];
/** Training writes a weights manifest and its binary; nothing else is written this way. */
const WRITABLE_EXTENSIONS = ['.json', '.bin'];

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

  /** Files beside `filePath` become readable, but it may not be saved over (an image, say). */
  grantReadsBeside(filePath: string): void {
    this.roots.add(dirname(resolve(filePath)));
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

  /**
   * Where trained weights may go: inside a folder the user chose, a .json or .bin file that is not
   * one of their graphs. Returns the resolved path (its folder created) or throws why not.
   */
  async prepareDataWrite(requestedPath: string): Promise<string> {
    const path = resolve(requestedPath);
    if (!WRITABLE_EXTENSIONS.some((extension) => path.toLowerCase().endsWith(extension))) {
      throw new Error(
        `refusing to write "${requestedPath}": weights go in ${WRITABLE_EXTENSIONS.join(' or ')} files`,
      );
    }
    if (path.toLowerCase().endsWith('.graph.json') || this.chosenGraphFiles.has(path)) {
      throw new Error(`refusing to write "${requestedPath}": it is a graph file, not weights`);
    }
    if (![...this.roots].some((root) => isInside(root, path))) {
      throw new Error(`refusing to write "${requestedPath}": save the graph in that folder first`);
    }
    await mkdir(dirname(path), { recursive: true });
    return path;
  }
}

function isInside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot !== '' && !fromRoot.startsWith('..') && !isAbsolute(fromRoot);
}
