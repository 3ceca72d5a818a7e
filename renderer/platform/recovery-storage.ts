// Where autosave keeps the recovery entry: a file in the user-data folder through the desktop
// bridge, or localStorage in a browser.
import type { RecoveryEntry } from '../../app/ipc-channels';
import { desktopApi } from './desktop-api';

export const RECOVERY_STORAGE_KEY = 'principia.recovery';

function isRecoveryEntry(value: unknown): value is RecoveryEntry {
  const entry = value as Partial<RecoveryEntry> | null;
  return (
    typeof entry?.savedAt === 'string' &&
    typeof entry.source === 'string' &&
    typeof entry.text === 'string'
  );
}

export async function readRecovery(): Promise<RecoveryEntry | null> {
  const desktop = desktopApi();
  if (desktop) return desktop.readRecovery();
  try {
    const stored = JSON.parse(localStorage.getItem(RECOVERY_STORAGE_KEY) ?? 'null') as unknown;
    return isRecoveryEntry(stored) ? stored : null;
  } catch {
    return null;
  }
}

export async function writeRecovery(entry: RecoveryEntry): Promise<void> {
  const desktop = desktopApi();
  if (desktop) return desktop.writeRecovery(entry);
  localStorage.setItem(RECOVERY_STORAGE_KEY, JSON.stringify(entry));
}

export async function clearRecovery(): Promise<void> {
  const desktop = desktopApi();
  if (desktop) return desktop.clearRecovery();
  localStorage.removeItem(RECOVERY_STORAGE_KEY);
}
