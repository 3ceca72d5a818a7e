// The autosave's recovery file in the user-data folder. Autosave overwrites it every few seconds
// while the document has unsaved changes; saving or discarding removes it; if it still exists when
// the app starts, the last session ended without either, and the renderer offers to restore it.
import type { RecoveryEntry } from '../ipc-channels';
import { isRecord, readJsonFile, removeFile, writeJsonFile } from './json-file';

/**
 * Far above any graph (presets are a few kB) with its source and time; stops a runaway renderer
 * filling the disk. Counts every field together: a cap on the text alone let 64 MB in as the source.
 */
export const MAX_RECOVERY_CHARACTERS = 32 * 1024 * 1024;

export function isRecoveryEntry(value: unknown): value is RecoveryEntry {
  return (
    isRecord(value) &&
    typeof value['savedAt'] === 'string' &&
    typeof value['source'] === 'string' &&
    typeof value['text'] === 'string'
  );
}

/** Characters the stored entry would hold: every field that is written. */
export function recoveryEntrySize(entry: RecoveryEntry): number {
  return entry.savedAt.length + entry.source.length + entry.text.length;
}

export class RecoveryFile {
  constructor(private readonly path: string) {}

  async read(): Promise<RecoveryEntry | null> {
    const stored = await readJsonFile(this.path);
    return isRecoveryEntry(stored) && recoveryEntrySize(stored) <= MAX_RECOVERY_CHARACTERS
      ? stored
      : null;
  }

  async write(entry: RecoveryEntry): Promise<void> {
    if (!isRecoveryEntry(entry)) throw new Error('recovery:write needs savedAt, source and text');
    const size = recoveryEntrySize(entry);
    if (size > MAX_RECOVERY_CHARACTERS) {
      throw new Error(
        `refusing a recovery entry of ${size} characters (time, source and text together); ` +
          `the limit is ${MAX_RECOVERY_CHARACTERS}`,
      );
    }
    const { savedAt, source, text } = entry;
    await writeJsonFile(this.path, { savedAt, source, text });
  }

  clear(): Promise<void> {
    return removeFile(this.path);
  }
}
