// Atomic file replacement: write a temporary file beside the target, flush it to disk, then rename
// it over the target. A rename within one folder is atomic, so a crash or kill at any moment leaves
// the target either as it was or as the complete new text, never a mixture.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMPORARY_SUFFIX = '.principia-tmp';

/** Temporaries this process is writing now: cleaning must never delete one mid-write. */
const inFlight = new Set<string>();

/** Hidden, named after the target, so leftovers are easy to recognise and to clean. */
function temporaryPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMPORARY_SUFFIX}`,
  );
}

export function isTemporaryFor(path: string, candidateName: string): boolean {
  return (
    candidateName.startsWith(`.${basename(path)}.`) && candidateName.endsWith(TEMPORARY_SUFFIX)
  );
}

/**
 * Deletes temporaries a killed writer left beside `path`. They never replace the target, but
 * without cleaning they would pile up, one per crash.
 */
export async function removeStaleTemporaries(path: string): Promise<string[]> {
  const folder = dirname(path);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const stale = names
    .filter((name) => isTemporaryFor(path, name))
    .map((name) => join(folder, name))
    .filter((candidate) => !inFlight.has(candidate));
  await Promise.all(stale.map((candidate) => rm(candidate, { force: true })));
  return stale;
}

export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  await removeStaleTemporaries(path);
  const temporary = temporaryPathFor(path);
  inFlight.add(temporary);
  try {
    // flush: the bytes reach the disk before the rename publishes them.
    await writeFile(temporary, data, { encoding: 'utf8', flush: true });
    await rename(temporary, path);
    await syncFolder(dirname(path));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  } finally {
    inFlight.delete(temporary);
  }
}

/** Makes the rename itself durable (POSIX); folders cannot be opened for sync on Windows. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the rename has happened regardless.
  } finally {
    await handle.close();
  }
}
