// Small JSON state files in the user-data folder (recent files, window bounds, recovery). A missing
// or corrupt file reads as "nothing stored": losing a preference must never stop the app starting.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomically } from './atomic-write';

export async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
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
