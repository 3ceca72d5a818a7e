// The file-system primitives for untrusted graphs, on real temporary folders: paths stay in their
// folder whatever symlinks say, only regular files of bounded size are read (abortably), and
// atomic writes keep a file's mode and its symlink.
import { execFileSync } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  readlink,
  realpath,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  OutsideFolderError,
  isTemporaryFor,
  readRegularFile,
  removeStaleTemporaries,
  resolveInside,
  writeFileAtomically,
} from '../../graph-nodes/runtime/confined-files';

let base: string;
/** The graph's folder: everything a graph names must stay in here. */
let root: string;
/** A folder beside it holding what a hostile graph would like to read. */
let secrets: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'principia-confined-')));
  root = join(base, 'downloaded-graph');
  secrets = join(base, 'home');
  await mkdir(join(root, 'data'), { recursive: true });
  await mkdir(secrets);
  await writeFile(join(secrets, 'id_rsa'), 'PRIVATE KEY');
  await writeFile(join(root, 'data', 'points.npy'), 'points');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveInside', () => {
  it('returns the real path of files inside the folder, existing or not', async () => {
    expect(await resolveInside(root, 'data/points.npy')).toBe(join(root, 'data', 'points.npy'));
    expect(await resolveInside(root, './data/../data/points.npy')).toBe(
      join(root, 'data', 'points.npy'),
    );
    expect(await resolveInside(root, join(root, 'data', 'points.npy'))).toBe(
      join(root, 'data', 'points.npy'),
    );
    // Not written yet: judged by its nearest existing folder.
    expect(await resolveInside(root, 'weights/new/mlp.bin')).toBe(
      join(root, 'weights', 'new', 'mlp.bin'),
    );
  });

  it('follows symlinks inside the folder, and a symlinked root', async () => {
    await symlink(join(root, 'data', 'points.npy'), join(root, 'alias.npy'));
    expect(await resolveInside(root, 'alias.npy')).toBe(join(root, 'data', 'points.npy'));
    const linkedRoot = join(base, 'linked-root');
    await symlink(root, linkedRoot);
    expect(await resolveInside(linkedRoot, 'data/points.npy')).toBe(
      join(root, 'data', 'points.npy'),
    );
    expect(await resolveInside(linkedRoot, join(linkedRoot, 'data', 'points.npy'))).toBe(
      join(root, 'data', 'points.npy'),
    );
  });

  it('refuses a symlinked file that leads out, naming the path, its target and the folder', async () => {
    await symlink(join(secrets, 'id_rsa'), join(root, 'data', 'stolen.npy'));
    const refusal = resolveInside(root, 'data/stolen.npy');
    await expect(refusal).rejects.toBeInstanceOf(OutsideFolderError);
    await expect(refusal).rejects.toThrow(
      `refusing "data/stolen.npy": it resolves to ${join(secrets, 'id_rsa')}, which is outside ${root}`,
    );
  });

  it('refuses a symlinked parent folder that leads out, for reads and for writes', async () => {
    await symlink(secrets, join(root, 'linked'));
    await expect(resolveInside(root, 'linked/id_rsa')).rejects.toThrow(OutsideFolderError);
    await expect(resolveInside(root, 'linked/planted.bin')).rejects.toThrow(OutsideFolderError);
    await expect(resolveInside(root, 'linked/deeper/planted.bin')).rejects.toThrow(
      OutsideFolderError,
    );
  });

  it('refuses `..` escapes, absolute paths elsewhere and the folder itself', async () => {
    await expect(resolveInside(root, '../home/id_rsa')).rejects.toThrow(OutsideFolderError);
    await expect(resolveInside(root, 'data/../../home/id_rsa')).rejects.toThrow(/outside/);
    await expect(resolveInside(root, join(secrets, 'id_rsa'))).rejects.toThrow(/outside/);
    await expect(resolveInside(root, '/etc/passwd')).rejects.toThrow(/outside/);
    await expect(resolveInside(root, '.')).rejects.toThrow(/outside/);
    // A sibling whose name merely starts with the folder's is not inside it.
    await mkdir(`${root}-evil`);
    await expect(resolveInside(root, `${root}-evil/x.npy`)).rejects.toThrow(/outside/);
  });

  it('accepts names that only start with two dots', async () => {
    await writeFile(join(root, '..hidden.npy'), 'x');
    expect(await resolveInside(root, '..hidden.npy')).toBe(join(root, '..hidden.npy'));
  });

  it('refuses a dangling symlink, which a write would follow out', async () => {
    await symlink(join(secrets, 'not-yet'), join(root, 'dangling.bin'));
    await expect(resolveInside(root, 'dangling.bin')).rejects.toThrow(/symbolic link to a file/);
    await expect(resolveInside(root, 'dangling.bin/inside.bin')).rejects.toThrow(/symbolic link/);
  });

  it('refuses NUL characters', async () => {
    await expect(resolveInside(root, 'data/points.npy\0.png')).rejects.toThrow(/NUL/);
  });
});

describe('readRegularFile', () => {
  it('reads a regular file into an exactly sized Uint8Array', async () => {
    const bytes = await readRegularFile(join(root, 'data', 'points.npy'));
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(bytes)).toBe('points');
    expect(await readRegularFile(join(root, 'empty.npy')).catch((e: Error) => e.message)).toMatch(
      /ENOENT/,
    );
  });

  it('refuses /dev/zero instead of reading without end', async () => {
    await symlink('/dev/zero', join(root, 'zeros.npy'));
    await expect(readRegularFile(join(root, 'zeros.npy'))).rejects.toThrow(
      `refusing "${join(root, 'zeros.npy')}": it is a character device, not a regular file`,
    );
  });

  it('refuses a FIFO without blocking on its open', async () => {
    const fifo = join(root, 'pipe.npy');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    await expect(readRegularFile(fifo)).rejects.toThrow(/FIFO \(named pipe\), not a regular file/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a socket', async () => {
    const path = join(root, 'socket.npy');
    const server = createServer();
    await new Promise<void>((done) => server.listen(path, done));
    try {
      await expect(readRegularFile(path)).rejects.toThrow(/it is a socket, not a regular file/);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('refuses a folder', async () => {
    await expect(readRegularFile(join(root, 'data'))).rejects.toThrow(
      /it is a folder, not a regular file/,
    );
  });

  it('refuses a file over the limit, saying the limit', async () => {
    await writeFile(join(root, 'big.npy'), new Uint8Array(2048));
    await expect(readRegularFile(join(root, 'big.npy'), { maxBytes: 1024 })).rejects.toThrow(
      /holds 2048 bytes and the limit is 1024 bytes/,
    );
    expect((await readRegularFile(join(root, 'big.npy'), { maxBytes: 2048 })).length).toBe(2048);
  });

  it('stops a read of a huge file promptly when aborted', async () => {
    const huge = join(root, 'huge.npy');
    const handle = await open(huge, 'w');
    await handle.truncate(1024 ** 3); // sparse: a gigabyte that takes no disk
    await handle.close();
    const controller = new AbortController();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort(new Error('cancelled by the test'));
    }, 30);
    const reading = readRegularFile(huge, { maxBytes: 2 * 1024 ** 3, signal: controller.signal });
    await expect(reading).rejects.toThrow('cancelled by the test');
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(100);
  });

  it('refuses to start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      readRegularFile(join(root, 'data', 'points.npy'), { signal: controller.signal }),
    ).rejects.toThrow();
  });
});

describe('writeFileAtomically', () => {
  it('keeps the mode of the file it replaces', async () => {
    const target = join(root, 'private.graph.json');
    await writeFile(target, 'old');
    await chmod(target, 0o600);
    await writeFileAtomically(target, 'new');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    await chmod(target, 0o640);
    await writeFileAtomically(target, new Uint8Array([1, 2]));
    expect((await stat(target)).mode & 0o777).toBe(0o640);
  });

  it('writes through a symlinked target, which stays a symlink', async () => {
    const real = join(root, 'data', 'real.graph.json');
    const link = join(root, 'link.graph.json');
    await writeFile(real, 'old');
    await symlink(real, link);
    await writeFileAtomically(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toBe('new');
    expect((await readdir(join(root, 'data'))).sort()).toEqual(['points.npy', 'real.graph.json']);
  });

  it('creates a new file, and refuses to replace a folder or a FIFO', async () => {
    await writeFileAtomically(join(root, 'fresh.bin'), new Uint8Array([7]));
    expect(new Uint8Array(await readFile(join(root, 'fresh.bin')))).toEqual(new Uint8Array([7]));
    await expect(writeFileAtomically(join(root, 'data'), 'x')).rejects.toThrow(/it is a folder/);
    execFileSync('mkfifo', [join(root, 'pipe.bin')]);
    await expect(writeFileAtomically(join(root, 'pipe.bin'), 'x')).rejects.toThrow(/FIFO/);
  });

  it('cleans stale temporaries of its target, never foreign files or live writers', async () => {
    const target = join(root, 'graph.json');
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max: no process has it
    const stale = `.graph.json.${deadPid}-0123456789ab.principia-tmp`;
    const live = `.graph.json.${process.ppid}-0123456789ab.principia-tmp`;
    const foreign = [
      '.other.json.1-0123456789ab.principia-tmp',
      '.graph.json.0123456789ab.principia-tmp',
      'graph.json.bak',
      '.graph.json.12-notours.principia-tmp',
    ];
    for (const name of [stale, live, ...foreign]) await writeFile(join(root, name), 'x');
    expect(isTemporaryFor(target, stale)).toBe(true);
    expect(await removeStaleTemporaries(target)).toEqual([join(root, stale)]);
    await writeFileAtomically(target, 'saved');
    expect((await readdir(root)).sort()).toEqual(['data', 'graph.json', live, ...foreign].sort());
  });

  it('never follows a symlink planted at a stale temporary name', async () => {
    const target = join(root, 'graph.json');
    const planted = join(root, `.graph.json.${2 ** 22 + 1}-0123456789ab.principia-tmp`);
    await symlink(join(secrets, 'id_rsa'), planted);
    await writeFileAtomically(target, 'saved');
    // The link was removed as a stale temporary; what it named is untouched.
    expect(await readFile(join(secrets, 'id_rsa'), 'utf8')).toBe('PRIVATE KEY');
    expect(await readFile(target, 'utf8')).toBe('saved');
  });

  it('leaves nothing behind when the folder does not exist', async () => {
    await expect(writeFileAtomically(join(root, 'missing', 'graph.json'), 'x')).rejects.toThrow(
      /ENOENT/,
    );
    expect((await readdir(root)).sort()).toEqual(['data']);
  });
});
