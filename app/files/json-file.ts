// Small JSON state files in the user-data folder (recent files, window bounds, recovery). A missing
// or corrupt file reads as "nothing stored": losing a preference must never stop the app starting.
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readRegularFile, writeFileAtomically } from '../../graph-nodes/runtime/confined-files';

/** Far above any state file (the recovery file holds at most MAX_RECOVERY_CHARACTERS). */
const MAX_STATE_FILE_BYTES = 256 * 1024 * 1024;

export async function readJsonFile(path: string): Promise<unknown> {
  try {
    const bytes = await readRegularFile(path, { maxBytes: MAX_STATE_FILE_BYTES });
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
}

export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
