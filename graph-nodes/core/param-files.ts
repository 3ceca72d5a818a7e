// Reading the file a node's param names, with one message shape for every node: which param is
// empty, which file is not there (the host's FileNotFoundError, passed on unchanged), or which
// file could not be read and why.
import { asFileNotFound } from './file-not-found';
import type { FileHost } from './node-definition';

export async function readParamFile(
  files: FileHost,
  path: string,
  what: { param: string; kind: string },
): Promise<Uint8Array> {
  if (path.trim() === '') throw new Error(`set the ${what.param} param to ${what.kind}`);
  try {
    return await files.read(path);
  } catch (error) {
    const missing = asFileNotFound(error);
    if (missing) throw missing;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`could not read "${path}": ${reason}`, { cause: error });
  }
}
