// Top bar: file commands and what is open (with its unsaved-changes marker), the backend choice,
// and the run buttons. File commands are the same functions the native menus and shortcuts call.
import { BACKEND_PREFERENCE, type BackendName } from '../engine/engine-protocol';
import {
  exportJson,
  newDocument,
  openDocument,
  saveDocument,
  saveDocumentAs,
} from '../files/file-actions';
import { setGalleryOpen, useDocumentDirty, useFileStore } from '../files/file-store';
import { useGraphStore } from '../graph/graph-store';
import { chooseBackend } from '../run/run-controller';
import { useRunStore } from '../run/run-store';
import { RunButtons } from './RunButtons';

function isBackendName(value: string): value is BackendName {
  return (BACKEND_PREFERENCE as readonly string[]).includes(value);
}

function FileButtons() {
  return (
    <div className="file-buttons" role="group" aria-label="File">
      <button onClick={() => void newDocument()} data-testid="file-new" title="New graph">
        New
      </button>
      <button onClick={() => void openDocument()} data-testid="file-open" title="Open a graph file">
        Open…
      </button>
      <button
        onClick={() => setGalleryOpen(true)}
        data-testid="open-gallery"
        title="Presets gallery"
      >
        Presets
      </button>
      <button onClick={() => void saveDocument()} data-testid="file-save" title="Save">
        Save
      </button>
      <button
        onClick={() => void saveDocumentAs()}
        data-testid="file-save-as"
        title="Save as a new file"
      >
        Save as…
      </button>
      <button
        onClick={() => void exportJson()}
        data-testid="file-export"
        title="Export a copy of the graph as JSON"
      >
        Export JSON
      </button>
    </div>
  );
}

export function Toolbar({ preferredBackend }: { preferredBackend: BackendName | undefined }) {
  const title = useGraphStore((state) => state.document.title ?? 'Untitled graph');
  const source = useGraphStore((state) => state.source);
  const fileName = useFileStore((state) => state.location.name);
  const dirty = useDocumentDirty();
  const phase = useRunStore((state) => state.phase);
  const backendPhase = useRunStore((state) => state.backend.phase);
  const running = phase === 'running';

  return (
    <header className="toolbar">
      <span className="brand">Principia</span>
      <FileButtons />
      <span className="graph-title" title={source} data-testid="graph-title">
        {title} · {fileName}
      </span>
      {dirty && (
        <span className="unsaved-marker" data-testid="unsaved-marker" title="Unsaved changes">
          ● unsaved
        </span>
      )}
      <span className="spacer" />
      <label className="backend-choice">
        Backend
        <select
          defaultValue={preferredBackend ?? 'auto'}
          disabled={running || backendPhase === 'starting'}
          onChange={(event) => {
            const value = event.target.value;
            void chooseBackend(isBackendName(value) ? value : undefined);
          }}
        >
          <option value="auto">auto (fastest that works)</option>
          {BACKEND_PREFERENCE.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <RunButtons running={running} disabled={backendPhase === 'starting'} />
    </header>
  );
}
