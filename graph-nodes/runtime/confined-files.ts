// File-system primitives for files an untrusted graph names, shared by the desktop app's main
// process and the CLI's file host (Node only, no Electron). A graph, or a folder downloaded with
// it, may hold symlinks that lead out of its folder, devices that never end (/dev/zero), FIFOs that
// block an open, or files too big to hold: these functions judge the real file, never its name.
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Far above any data set, model or weights a graph names; a read never holds more than this. */
export const DEFAULT_MAX_READ_BYTES = 1024 ** 3;
/** Reads go in chunks of this size, so an abort stops one within a chunk's time (≈ 1 ms). */
const READ_CHUNK_BYTES = 1024 * 1024;

/** A path that leads out of the folder it must stay in. */
export class OutsideFolderError extends Error {
  constructor(
    readonly requestedPath: string,
    readonly realPath: string,
    readonly folder: string,
  ) {
    super(
      `refusing "${requestedPath}": it resolves to ${realPath}, which is outside ${folder}; ` +
        'files a graph names must stay in its folder',
    );
    this.name = 'OutsideFolderError';
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** True when `path` is strictly inside `folder` (both already real, absolute paths). */
export function isInsideFolder(folder: string, path: string): boolean {
  const fromFolder = relative(folder, path);
  return (
    fromFolder !== '' &&
    fromFolder !== '..' &&
    !fromFolder.startsWith(`..${sep}`) &&
    !isAbsolute(fromFolder)
  );
}

/**
 * The real path `path` names, following every symlink. A path that does not exist yet (a file
 * about to be written) is its nearest existing folder's real path plus the missing names, which
 * cannot be symlinks since they do not exist. A dangling symlink is refused: writing through it
 * would create a file wherever it points.
 */
export async function realPathOf(path: string): Promise<string> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(await realpath(current), ...missing);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
    const entry = await lstat(current).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (entry) throw new Error(`"${current}" is a symbolic link to a file that does not exist`);
    const parent = dirname(current);
    if (parent === current) throw new Error(`no part of "${path}" exists`);
    missing.unshift(basename(current));
    current = parent;
  }
}

/**
 * Resolves `requestedPath` (relative to `root`, or absolute) to its real path, and returns it only
 * when it lies inside the real `root`: `..`, absolute paths elsewhere and symlinks (the file's or a
 * parent folder's) that lead out are refused with an OutsideFolderError. Callers must then use the
 * returned path, never the requested one, so what was checked is what gets opened.
 */
export async function resolveInside(root: string, requestedPath: string): Promise<string> {
  if (requestedPath.includes('\0')) {
    throw new Error(`refusing "${requestedPath}": a path may not contain a NUL character`);
  }
  const realRoot = await realpath(root);
  const real = await realPathOf(resolve(root, requestedPath));
  if (!isInsideFolder(realRoot, real)) throw new OutsideFolderError(requestedPath, real, realRoot);
  return real;
}

/** What a non-regular file is, for messages. */
export function describeFileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return stats.isFile() ? 'a regular file' : 'not a regular file';
}

function notRegularFile(path: string, stats: Stats): Error {
  return new Error(`refusing "${path}": it is ${describeFileKind(stats)}, not a regular file`);
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the read was cancelled');
}

export interface ReadLimits {
  /** Refuse files larger than this many bytes (default DEFAULT_MAX_READ_BYTES). */
  readonly maxBytes?: number;
  /** Stops the read between chunks; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Reads a whole regular file, at most `maxBytes` of it. Devices, FIFOs, sockets and folders are
 * refused on the opened handle (fstat), so swapping the file after a check gains nothing; the open
 * itself does not block on a FIFO (O_NONBLOCK), and a read can be aborted between chunks.
 */
export async function readRegularFile(path: string, limits: ReadLimits = {}): Promise<Uint8Array> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  const { signal } = limits;
  if (signal?.aborted) throw abortError(signal);
  // O_NONBLOCK only matters for FIFOs and devices, which are refused below; Windows has none.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
  let handle;
  try {
    handle = await open(path, flags);
  } catch (error) {
    // A socket cannot be opened at all (ENXIO): say what it is rather than quoting errno.
    const stats = await stat(path).catch(() => undefined);
    if (stats && !stats.isFile()) throw notRegularFile(path, stats);
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegularFile(path, stats);
    if (stats.size > maxBytes) {
      throw new Error(
        `refusing "${path}": it holds ${stats.size} bytes and the limit is ${maxBytes} bytes`,
      );
    }
    const bytes = new Uint8Array(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      if (signal?.aborted) throw abortError(signal);
      const length = Math.min(READ_CHUNK_BYTES, bytes.length - filled);
      const { bytesRead } = await handle.read(bytes, filled, length, filled);
      if (bytesRead === 0) break; // The file shrank while we read: return what it holds.
      filled += bytesRead;
    }
    if (signal?.aborted) throw abortError(signal);
    return filled === bytes.length ? bytes : bytes.slice(0, filled);
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Atomic replacement

const TEMPORARY_SUFFIX = '.principia-tmp';
/** Temporaries this process is writing now: cleaning must never delete one mid-write. */
const inFlight = new Set<string>();

/**
 * Hidden, named after the target and the writing process, so leftovers are easy to recognise, and
 * one process never removes another's temporary while that one is still running.
 */
function temporaryPathFor(target: string): string {
  const name = `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}`;
  return join(dirname(target), `${name}${TEMPORARY_SUFFIX}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The id of the process that wrote `candidateName` as a temporary for `target`, if it is one. */
function temporaryWriterOf(target: string, candidateName: string): number | undefined {
  const pattern = new RegExp(
    `^\\.${escapeRegExp(basename(target))}\\.(\\d+)-[0-9a-f]{12}${escapeRegExp(TEMPORARY_SUFFIX)}$`,
  );
  const match = pattern.exec(candidateName);
  return match ? Number(match[1]) : undefined;
}

export function isTemporaryFor(target: string, candidateName: string): boolean {
  return temporaryWriterOf(target, candidateName) !== undefined;
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return errorCode(error) === 'EPERM';
  }
}

/**
 * Deletes temporaries that a killed writer left beside `target`. They never replace the target,
 * but without cleaning they would pile up, one per crash. Only names this module writes are
 * touched, and never one a running process (this one included) may still be writing.
 */
export async function removeStaleTemporaries(target: string): Promise<string[]> {
  const folder = dirname(target);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const stale = names.flatMap((name) => {
    const writer = temporaryWriterOf(target, name);
    const path = join(folder, name);
    if (writer === undefined || inFlight.has(path)) return [];
    return writer !== process.pid && isRunning(writer) ? [] : [path];
  });
  // rm without `recursive` removes a file or a symlink itself, never a folder or what a link names.
  await Promise.all(stale.map((path) => rm(path, { force: true }).catch(() => undefined)));
  return stale;
}

/** The file to replace: a symlinked target is written through, so the link stays a link. */
async function replacementTarget(path: string): Promise<{ target: string; mode?: number }> {
  const target = await realPathOf(path);
  const existing = await stat(target).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (!existing) return { target };
  if (!existing.isFile())
    throw new Error(`refusing to replace "${path}": it is ${describeFileKind(existing)}`);
  return { target, mode: existing.mode & 0o7777 };
}

/**
 * Replaces `path` with `data` atomically: a temporary beside the target, flushed to disk, renamed
 * over it, then the folder flushed so the rename survives a power cut. A crash at any moment leaves
 * the old file or the complete new one. The target keeps its permissions (a 0600 file stays 0600);
 * a symlinked target is written through to the file it names. The temporary is created exclusively,
 * so a symlink planted at its name is never followed.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const { target, mode } = await replacementTarget(path);
  await removeStaleTemporaries(target);
  const temporary = temporaryPathFor(target);
  inFlight.add(temporary);
  let created = false;
  try {
    const handle = await open(temporary, 'wx', mode ?? 0o666);
    created = true;
    try {
      // open's mode passes through the umask; an existing file's exact mode is kept.
      if (mode !== undefined) await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    created = false;
    await syncFolder(dirname(target));
  } finally {
    // Only a temporary this call created is removed: after a failed exclusive create the name
    // belongs to someone else.
    if (created) await rm(temporary, { force: true }).catch(() => undefined);
    inFlight.delete(temporary);
  }
}

/** Makes a rename durable (POSIX); folders cannot be opened for sync on Windows. */
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
