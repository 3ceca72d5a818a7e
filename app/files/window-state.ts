// Remembers where the window was and how big, and puts it back only where it is still visible:
// a monitor unplugged since the last run must not leave the window off screen.
import { isRecord, readJsonFile, writeJsonFile } from './json-file';

export interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly bounds: Rectangle;
  readonly maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = { width: 1440, height: 900 } as const;
export const MIN_WINDOW_SIZE = { width: 960, height: 600 } as const;
/** How much of the title bar must stay on a display for the user to grab it. */
const MIN_VISIBLE = 80;

export async function readWindowState(path: string): Promise<WindowState | undefined> {
  const stored = await readJsonFile(path);
  if (!isRecord(stored) || !isRecord(stored['bounds'])) return undefined;
  const { x, y, width, height } = stored['bounds'];
  if (![x, y, width, height].every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return undefined;
  }
  return {
    bounds: { x, y, width, height } as Rectangle,
    maximized: stored['maximized'] === true,
  };
}

export function writeWindowState(path: string, state: WindowState): Promise<void> {
  return writeJsonFile(path, state);
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The bounds to open the window with: the stored ones when their top strip is on some display
 * (size clamped to that display), otherwise the default size centred on the primary display.
 */
export function restoreBounds(
  stored: Rectangle | undefined,
  workAreas: readonly Rectangle[],
): Rectangle | { width: number; height: number } {
  const primary = workAreas[0];
  const fallback = primary
    ? {
        width: Math.min(DEFAULT_WINDOW_SIZE.width, primary.width),
        height: Math.min(DEFAULT_WINDOW_SIZE.height, primary.height),
      }
    : { ...DEFAULT_WINDOW_SIZE };
  if (!stored) return fallback;
  const titleStrip = { x: stored.x, y: stored.y, width: stored.width, height: MIN_VISIBLE };
  const display = workAreas.find((area) => {
    const shared = overlap(titleStrip, area);
    return shared.width >= MIN_VISIBLE && shared.height > 0 && stored.y >= area.y;
  });
  if (!display) return fallback;
  return {
    x: stored.x,
    y: stored.y,
    width: Math.max(MIN_WINDOW_SIZE.width, Math.min(stored.width, display.width)),
    height: Math.max(MIN_WINDOW_SIZE.height, Math.min(stored.height, display.height)),
  };
}
