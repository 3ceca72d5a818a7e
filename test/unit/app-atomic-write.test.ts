// The atomic writer the app saves with (graph-nodes/runtime/confined-files.ts) under a real crash:
// a child process writing a large graph is SIGKILLed midway, and the target must hold either the
// old or the new complete text. Leftover temporaries must not survive the next save.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTemporaryFor, writeFileAtomically } from '../../graph-nodes/runtime/confined-files';

const writerModule = pathToFileURL(
  join(__dirname, '../../graph-nodes/runtime/confined-files.ts'),
).href;
const SIZE = 24 * 1024 * 1024;
const OLD = 'A';
const NEW = 'B';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'principia-atomic-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Starts a Node process that rewrites `target` with SIZE copies of NEW, over and over. */
function startWriter(target: string) {
  const script = `
    import { writeFileAtomically } from ${JSON.stringify(writerModule)};
    const text = ${JSON.stringify(NEW)}.repeat(${SIZE});
    process.stdout.write('ready\\n');
    for (;;) await writeFileAtomically(${JSON.stringify(target)}, text);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, ready, exited };
}

async function temporariesIn(target: string): Promise<string[]> {
  const names = await readdir(folder);
  return names.filter((name) => isTemporaryFor(target, name)).map((name) => join(folder, name));
}

/**
 * Resolves once a file the writer is writing (a temporary, or the target itself for a writer that
 * is not atomic) holds some but not all of the new text: the write is midway.
 */
async function waitForPartialWrite(target: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const file of [...(await temporariesIn(target)), target]) {
      const size = await stat(file).then(
        (s) => s.size,
        () => 0,
      );
      if (size > 0 && size < SIZE) return size;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error('never saw a half-written file');
}

function expectWholeText(text: string): void {
  expect(text.length).toBe(SIZE);
  // All one letter: the old file or the new one, nothing spliced.
  const first = text[0];
  expect([OLD, NEW]).toContain(first);
  expect(text.indexOf(first === OLD ? NEW : OLD)).toBe(-1);
}

describe('writeFileAtomically', () => {
  it('replaces the text and leaves no temporary behind', async () => {
    const target = join(folder, 'graph.json');
    await writeFile(target, 'old');
    await writeFileAtomically(target, 'new text');
    expect(await readFile(target, 'utf8')).toBe('new text');
    expect(await readdir(folder)).toEqual(['graph.json']);
  });

  it('keeps the old file when the write fails, and cleans its temporary', async () => {
    const target = join(folder, 'missing-folder', 'graph.json');
    await expect(writeFileAtomically(target, 'x')).rejects.toThrow();
    expect(await readdir(folder)).toEqual([]);
  });

  it('survives a writer killed midway: the target is the old or the new whole text', async () => {
    const target = join(folder, 'graph.json');
    await writeFile(target, OLD.repeat(SIZE));
    const caughtMidway: number[] = [];
    for (let trial = 0; trial < 3; trial++) {
      const writer = startWriter(target);
      await writer.ready;
      caughtMidway.push(await waitForPartialWrite(target, 30_000));
      writer.child.kill('SIGKILL');
      await writer.exited;
      expectWholeText(await readFile(target, 'utf8'));
    }
    // The kills really landed mid-write, with a partial temporary on disk.
    expect(caughtMidway.every((size) => size > 0 && size < SIZE)).toBe(true);
    // Killed writers leave their temporaries; the next save removes them.
    expect((await temporariesIn(target)).length).toBeGreaterThan(0);
    await writeFileAtomically(target, 'saved after the crash');
    expect(await readFile(target, 'utf8')).toBe('saved after the crash');
    expect(await readdir(folder)).toEqual(['graph.json']);
  }, 120_000);
});
