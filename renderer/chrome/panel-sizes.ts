// How wide the side column and the analysis dock are, whether each is folded away, and whether the
// library is folded so the inspector gets the whole column. The user's choice is remembered across
// launches in localStorage; what comes back from storage is checked like any other input.
import { create } from 'zustand';

export const PANEL_SIZES_STORAGE_KEY = 'principia.panel-sizes.v1';

export interface PanelSizes {
  /** Width of the library + inspector column, in px. */
  readonly sideWidth: number;
  /** Width of the analysis dock (preview, compare, sweep), in px. */
  readonly dockWidth: number;
  readonly sideCollapsed: boolean;
  readonly dockCollapsed: boolean;
  /** The library folded to its header, giving the inspector the column's full height. */
  readonly libraryCollapsed: boolean;
}

export const PANEL_LIMITS = {
  side: { min: 200, max: 560 },
  dock: { min: 300, max: 1000 },
} as const;

export const DEFAULT_PANEL_SIZES: PanelSizes = {
  sideWidth: 250,
  dockWidth: 520,
  sideCollapsed: false,
  dockCollapsed: false,
  libraryCollapsed: false,
};

export function clampWidth(panel: 'side' | 'dock', width: number): number {
  const { min, max } = PANEL_LIMITS[panel];
  return Math.round(Math.min(max, Math.max(min, width)));
}

/**
 * The sizes before the user has chosen any: the dock takes about a third of the window (room for
 * three image grids side by side at zoom 2 on a 1440-px screen), the canvas most of the rest.
 */
export function defaultPanelSizes(windowWidth: number): PanelSizes {
  return { ...DEFAULT_PANEL_SIZES, dockWidth: clampWidth('dock', 0.36 * windowWidth) };
}

/** Reads stored sizes, keeping a default for every field that is missing or not what it should be. */
export function parsePanelSizes(
  text: string | null,
  defaults: PanelSizes = DEFAULT_PANEL_SIZES,
): PanelSizes {
  let stored: unknown;
  try {
    stored = text === null ? null : JSON.parse(text);
  } catch {
    stored = null;
  }
  if (typeof stored !== 'object' || stored === null) return defaults;
  const record = stored as Record<string, unknown>;
  const own = (key: keyof PanelSizes): unknown =>
    Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
  const width = (key: 'sideWidth' | 'dockWidth', panel: 'side' | 'dock'): number => {
    const value = own(key);
    return typeof value === 'number' && Number.isFinite(value)
      ? clampWidth(panel, value)
      : defaults[key];
  };
  const flag = (key: 'sideCollapsed' | 'dockCollapsed' | 'libraryCollapsed'): boolean => {
    const value = own(key);
    return typeof value === 'boolean' ? value : defaults[key];
  };
  return {
    sideWidth: width('sideWidth', 'side'),
    dockWidth: width('dockWidth', 'dock'),
    sideCollapsed: flag('sideCollapsed'),
    dockCollapsed: flag('dockCollapsed'),
    libraryCollapsed: flag('libraryCollapsed'),
  };
}

function readStored(): PanelSizes {
  const defaults = defaultPanelSizes(globalThis.innerWidth ?? 1440);
  try {
    return parsePanelSizes(
      globalThis.localStorage?.getItem(PANEL_SIZES_STORAGE_KEY) ?? null,
      defaults,
    );
  } catch {
    return defaults;
  }
}

interface PanelSizesState extends PanelSizes {
  readonly update: (change: Partial<PanelSizes>) => void;
}

export const usePanelSizes = create<PanelSizesState>((set, get) => ({
  ...readStored(),
  update: (change) => {
    set(change);
    const { sideWidth, dockWidth, sideCollapsed, dockCollapsed, libraryCollapsed } = get();
    try {
      globalThis.localStorage?.setItem(
        PANEL_SIZES_STORAGE_KEY,
        JSON.stringify({ sideWidth, dockWidth, sideCollapsed, dockCollapsed, libraryCollapsed }),
      );
    } catch {
      // Storage full or disabled: the sizes still hold for this session.
    }
  },
}));
