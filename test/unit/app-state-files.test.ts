// The main process's small state files: recent files, window bounds and the recovery file.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECENT_FILES, RecentFiles } from '../../app/files/recent-files';
import { MAX_RECOVERY_CHARACTERS, RecoveryFile } from '../../app/files/recovery-file';
import {
  DEFAULT_WINDOW_SIZE,
  readWindowState,
  restoreBounds,
  writeWindowState,
} from '../../app/files/window-state';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'principia-state-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('RecentFiles', () => {
  it('keeps the most recent first, without duplicates, and persists across loads', async () => {
    const store = join(folder, 'recent.json');
    const recent = await RecentFiles.load(store);
    await recent.add('/graphs/a.json');
    await recent.add('/graphs/b.json');
    await recent.add('/graphs/a.json');
    expect(recent.list()).toEqual([resolve('/graphs/a.json'), resolve('/graphs/b.json')]);
    const reloaded = await RecentFiles.load(store);
    expect(reloaded.list()).toEqual(recent.list());
    expect(reloaded.includes('/graphs/b.json')).toBe(true);
    expect(reloaded.includes('/graphs/c.json')).toBe(false);
  });

  it(`holds at most ${MAX_RECENT_FILES} files and can forget one or all`, async () => {
    const recent = await RecentFiles.load(join(folder, 'recent.json'));
    for (let i = 0; i < MAX_RECENT_FILES + 3; i++) await recent.add(`/g/${i}.json`);
    expect(recent.list()).toHaveLength(MAX_RECENT_FILES);
    expect(recent.list()[0]).toBe(resolve(`/g/${MAX_RECENT_FILES + 2}.json`));
    await recent.remove(`/g/${MAX_RECENT_FILES + 2}.json`);
    expect(recent.includes(`/g/${MAX_RECENT_FILES + 2}.json`)).toBe(false);
    await recent.clear();
    expect((await RecentFiles.load(join(folder, 'recent.json'))).list()).toEqual([]);
  });

  it('starts empty from a corrupt store instead of failing', async () => {
    const store = join(folder, 'recent.json');
    await writeFile(store, '{"paths": [1, "/ok.json"');
    expect((await RecentFiles.load(store)).list()).toEqual([]);
    await writeFile(store, '{"paths": [1, "/ok.json", null]}');
    expect((await RecentFiles.load(store)).list()).toEqual(['/ok.json']);
  });
});

describe('window state', () => {
  const primary = { x: 0, y: 0, width: 1920, height: 1040 };
  const secondary = { x: 1920, y: 0, width: 1280, height: 1024 };

  it('round-trips through its file; a corrupt file reads as nothing', async () => {
    const path = join(folder, 'window.json');
    const state = { bounds: { x: 10, y: 20, width: 1200, height: 800 }, maximized: true };
    await writeWindowState(path, state);
    expect(await readWindowState(path)).toEqual(state);
    await writeFile(path, '{"bounds": {"x": "left"}}');
    expect(await readWindowState(path)).toBeUndefined();
  });

  it('restores bounds that are on a display, clamped to it', () => {
    expect(
      restoreBounds({ x: 2000, y: 50, width: 1000, height: 700 }, [primary, secondary]),
    ).toEqual({ x: 2000, y: 50, width: 1000, height: 700 });
    expect(restoreBounds({ x: 100, y: 0, width: 5000, height: 3000 }, [primary])).toEqual({
      x: 100,
      y: 0,
      width: 1920,
      height: 1040,
    });
  });

  it('falls back to the default size when the display it was on is gone', () => {
    const offScreen = { x: 2200, y: 100, width: 1000, height: 700 };
    expect(restoreBounds(offScreen, [primary])).toEqual(DEFAULT_WINDOW_SIZE);
    // Title bar above the top of every display: it could not be dragged back.
    expect(restoreBounds({ x: 100, y: -500, width: 1000, height: 700 }, [primary])).toEqual(
      DEFAULT_WINDOW_SIZE,
    );
    expect(restoreBounds(undefined, [primary])).toEqual(DEFAULT_WINDOW_SIZE);
  });
});

describe('RecoveryFile', () => {
  it('stores the latest entry, reads it back, and is gone once cleared', async () => {
    const recovery = new RecoveryFile(join(folder, 'nested', 'recovery.json'));
    expect(await recovery.read()).toBeNull();
    const entry = { savedAt: '2025-01-01T00:00:00.000Z', source: 'graph.json', text: '{"a":1}' };
    await recovery.write(entry);
    await recovery.write({ ...entry, text: '{"a":2}' });
    expect(await recovery.read()).toEqual({ ...entry, text: '{"a":2}' });
    await recovery.clear();
    expect(await recovery.read()).toBeNull();
    await recovery.clear();
  });

  it('caps the entry as a whole: a huge source is refused like a huge text', async () => {
    const path = join(folder, 'recovery.json');
    const recovery = new RecoveryFile(path);
    const half = 'x'.repeat(MAX_RECOVERY_CHARACTERS / 2);
    const refusal =
      /refusing a recovery entry of \d+ characters \(time, source and text together\); the limit is/;
    await expect(
      recovery.write({ savedAt: 'now', source: `${half}x`, text: half }),
    ).rejects.toThrow(refusal);
    await expect(
      recovery.write({ savedAt: 'now', source: 's', text: `${half}${half}` }),
    ).rejects.toThrow(refusal);
    await expect(recovery.write({ savedAt: half, source: half, text: '{}' })).rejects.toThrow(
      refusal,
    );
    expect(await recovery.read()).toBeNull();
    await recovery.write({ savedAt: 'now', source: 'graph.json', text: half });
    expect((await recovery.read())?.text.length).toBe(half.length);
  });

  it('refuses malformed entries and ignores a corrupt file', async () => {
    const path = join(folder, 'recovery.json');
    const recovery = new RecoveryFile(path);
    await expect(recovery.write({ savedAt: 1 } as never)).rejects.toThrow(/savedAt/);
    await writeFile(path, '{"savedAt": "x", "source": "y"');
    expect(await recovery.read()).toBeNull();
    await recovery.write({ savedAt: 'now', source: 's', text: 't', extra: 'dropped' } as never);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      savedAt: 'now',
      source: 's',
      text: 't',
    });
  });
});
