// Undo history as immer patches: each entry holds what an edit changed and how to take it back.
// Edits that share a group key while the group stays open (one slider drag, one typed field)
// merge into a single entry, so one undo takes back the whole gesture.
import { applyPatches, enablePatches, type Patch } from 'immer';

enablePatches();

export interface HistoryEntry {
  readonly patches: readonly Patch[];
  readonly inversePatches: readonly Patch[];
  /** Edits with this key merge into this entry while it is the open group. */
  readonly group?: string;
}

export interface History {
  /** Entries before `index` are done; from `index` on they were undone and can be redone. */
  readonly entries: readonly HistoryEntry[];
  readonly index: number;
  /** `index` when the document was last saved or loaded; null if that state was discarded. */
  readonly savedIndex: number | null;
  /** The group key still accepting merges, until a gesture ends or another edit comes. */
  readonly openGroup: string | null;
}

export const EMPTY_HISTORY: History = { entries: [], index: 0, savedIndex: 0, openGroup: null };

export function recordEdit(history: History, entry: HistoryEntry): History {
  if (entry.patches.length === 0) return history;
  const last = history.entries[history.index - 1];
  if (
    entry.group !== undefined &&
    entry.group === history.openGroup &&
    last?.group === entry.group
  ) {
    const merged: HistoryEntry = {
      patches: [...last.patches, ...entry.patches],
      inversePatches: [...entry.inversePatches, ...last.inversePatches],
      group: entry.group,
    };
    const savedIndex = history.savedIndex === history.index ? null : history.savedIndex;
    return {
      ...history,
      entries: [...history.entries.slice(0, history.index - 1), merged],
      savedIndex,
    };
  }
  // A new edit after some undos drops the undone future, and with it a save made there.
  const savedIndex =
    history.savedIndex !== null && history.savedIndex > history.index ? null : history.savedIndex;
  return {
    entries: [...history.entries.slice(0, history.index), entry],
    index: history.index + 1,
    savedIndex,
    openGroup: entry.group ?? null,
  };
}

/** Ends the open gesture: the next edit starts a new entry even if it has the same group key. */
export function closeGroup(history: History): History {
  return history.openGroup === null ? history : { ...history, openGroup: null };
}

export function canUndo(history: History): boolean {
  return history.index > 0;
}

export function canRedo(history: History): boolean {
  return history.index < history.entries.length;
}

export function undo<T extends object>(document: T, history: History): [T, History] {
  const entry = history.entries[history.index - 1];
  if (!entry) return [document, history];
  return [
    applyPatches(document, entry.inversePatches),
    { ...history, index: history.index - 1, openGroup: null },
  ];
}

export function redo<T extends object>(document: T, history: History): [T, History] {
  const entry = history.entries[history.index];
  if (!entry) return [document, history];
  return [
    applyPatches(document, entry.patches),
    { ...history, index: history.index + 1, openGroup: null },
  ];
}

export function markSaved(history: History): History {
  return { ...history, savedIndex: history.index, openGroup: null };
}

export function isDirty(history: History): boolean {
  return history.savedIndex !== history.index;
}
