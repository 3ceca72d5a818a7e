// Autosave: every few seconds, while the document has unsaved changes that autosave has not yet
// written, put it in the recovery store (see platform/recovery-storage.ts). Saving, opening
// another document or discarding clears the entry (file-actions.ts); one left behind means the
// app ended without either, and is offered back at the next start.
import { serializeDocument, useGraphStore } from '../graph/graph-store';
import { clearRecovery, writeRecovery } from '../platform/recovery-storage';
import { documentIsDirty, useFileStore } from './file-store';

export const AUTOSAVE_INTERVAL_MS = 3000;

export function startAutosave(intervalMs = AUTOSAVE_INTERVAL_MS): () => void {
  let lastWritten: unknown;
  let writing = false;
  const tick = async () => {
    const document = useGraphStore.getState().document;
    if (writing || document === lastWritten || !documentIsDirty()) return;
    writing = true;
    try {
      await writeRecovery({
        savedAt: new Date().toISOString(),
        source: useFileStore.getState().location.name,
        text: serializeDocument(document),
      });
      lastWritten = document;
      // Saved while this write was in flight: the entry must not outlive the save.
      if (!documentIsDirty()) await clearRecovery();
    } catch {
      // Autosave is best effort; the next tick tries again.
    } finally {
      writing = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  return () => clearInterval(timer);
}
