// Everything about files that is not a toolbar button: autosave and the recovery offer, dropping a
// .json on the window, the unsaved-changes prompt, error messages, the presets gallery, native menu
// commands, the title bar, and the browser's own leave-page warning.
import { useEffect, useState } from 'react';
import { registerFileActions } from '../editor/file-actions';
import { PresetGallery } from '../gallery/PresetGallery';
import { desktopApi } from '../platform/desktop-api';
import { readRecovery } from '../platform/recovery-storage';
import { startAutosave } from './autosave';
import { documentFolder } from './document-files';
import {
  discardRecoveredDocument,
  openDocument,
  openDroppedFile,
  restoreRecoveredDocument,
  saveDocument,
} from './file-actions';
import { documentIsDirty, showFileMessage, useDocumentDirty, useFileStore } from './file-store';
import './files.css';
import { runMenuCommand } from './menu-commands';

/** Autosave, the recovery check and menu commands: once per page, even under StrictMode. */
let started = false;
function startOnce(): void {
  if (started) return;
  started = true;
  // Ctrl+O / Ctrl+S are bound by the editor's shortcuts; they call these.
  registerFileActions({
    open: openDocument,
    save: async () => {
      await saveDocument();
    },
  });
  startAutosave();
  void readRecovery()
    .then((entry) => {
      if (entry) useFileStore.setState({ recoveryOffer: entry });
    })
    .catch(() => undefined);
  desktopApi()?.onMenuCommand((command) => void runMenuCommand(command));
  if (!desktopApi()) {
    // In Electron main asks instead (the close button sends window:close).
    window.addEventListener('beforeunload', (event) => {
      if (documentIsDirty()) event.preventDefault();
    });
  }
}

function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

function useFileDrop(): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth++;
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      // Without this the browser would navigate to the dropped file.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const drop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length > 1) {
        showFileMessage({
          kind: 'error',
          title: 'One file at a time',
          text: 'Drop a single .json graph to open it.',
        });
        return;
      }
      if (files[0]) void openDroppedFile(files[0]);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return dragging;
}

/** The window title (and, in Electron, main's close guard) follow the name and unsaved state. */
function useDocumentTitle(): void {
  const location = useFileStore((state) => state.location);
  const dirty = useDocumentDirty();
  const { name } = location;
  // The folder tells main which document this is, so its file grants follow the document.
  const folder = documentFolder(location) ?? null;
  useEffect(() => {
    document.title = `${dirty ? '• ' : ''}${name} — Principia`;
    void desktopApi()
      ?.reportDocumentState({ name, dirty, folder })
      .catch(() => undefined);
  }, [name, dirty, folder]);
}

function UnsavedChangesPrompt() {
  const prompt = useFileStore((state) => state.prompt);
  if (!prompt) return null;
  return (
    <div className="file-modal-backdrop">
      <div
        className="file-modal"
        role="alertdialog"
        aria-labelledby="unsaved-title"
        data-testid="unsaved-prompt"
      >
        <h2 id="unsaved-title">Save changes to {prompt.name}?</h2>
        <p>Your changes will be lost if you don’t save them.</p>
        <div className="file-modal-buttons">
          <button onClick={() => prompt.answer('cancel')}>Cancel</button>
          <button onClick={() => prompt.answer('discard')} data-testid="prompt-discard">
            Don’t save
          </button>
          <button className="primary" autoFocus onClick={() => prompt.answer('save')}>
            Save
          </button>
        </div>
      </div>
    </div>
  );
}

function FileMessageDialog() {
  const message = useFileStore((state) => state.message);
  if (!message) return null;
  return (
    <div className="file-modal-backdrop" onClick={() => showFileMessage(null)}>
      <div
        className={`file-modal ${message.kind}`}
        role="alertdialog"
        aria-labelledby="file-message-title"
        data-testid="file-message"
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id="file-message-title">{message.title}</h2>
        <pre>{message.text}</pre>
        <div className="file-modal-buttons">
          <button className="primary" autoFocus onClick={() => showFileMessage(null)}>
            OK
          </button>
        </div>
      </div>
    </div>
  );
}

function RecoveryOffer() {
  const entry = useFileStore((state) => state.recoveryOffer);
  if (!entry) return null;
  const when = new Date(entry.savedAt);
  const time = Number.isNaN(when.getTime()) ? entry.savedAt : when.toLocaleString();
  return (
    <div className="recovery-offer" role="alert" data-testid="recovery-offer">
      <span>
        Principia closed with unsaved changes to <strong>{entry.source}</strong> (autosaved {time}).
      </span>
      <button className="primary" onClick={() => restoreRecoveredDocument(entry)}>
        Restore
      </button>
      <button onClick={discardRecoveredDocument}>Discard</button>
    </div>
  );
}

export function FileShell() {
  useEffect(startOnce, []);
  useDocumentTitle();
  const dragging = useFileDrop();
  return (
    <>
      <RecoveryOffer />
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          Drop a .json graph to open it
        </div>
      )}
      <PresetGallery />
      <UnsavedChangesPrompt />
      <FileMessageDialog />
    </>
  );
}
