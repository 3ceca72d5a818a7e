// Top bar: what is open, Run/Cancel, the backend choice, and (in the desktop app) Open/Save.
import { parseGraphText } from '../../graph-nodes';
import { BACKEND_PREFERENCE, type BackendName } from '../engine/engine-protocol';
import { serializeDocument, useGraphStore } from '../graph/graph-store';
import { desktopApi } from '../platform/desktop-api';
import { cancelRun, chooseBackend, runGraph } from '../run/run-controller';
import { useRunStore } from '../run/run-store';

function isBackendName(value: string): value is BackendName {
  return (BACKEND_PREFERENCE as readonly string[]).includes(value);
}

function DesktopFileButtons() {
  const desktop = desktopApi();
  if (!desktop) return null;
  const open = async () => {
    const file = await desktop.openGraphFile();
    if (file) useGraphStore.getState().load(parseGraphText(file.text, file.path), file.path);
  };
  const save = async () => {
    const { document, source } = useGraphStore.getState();
    const saved = await desktop.saveGraphFile({
      text: serializeDocument(document),
      suggestedName: source.split(/[\\/]/).at(-1) ?? 'graph.json',
    });
    if (saved) useGraphStore.getState().load(document, saved.path);
  };
  return (
    <>
      <button onClick={() => void open().catch((error: unknown) => alert(String(error)))}>
        Open…
      </button>
      <button onClick={() => void save().catch((error: unknown) => alert(String(error)))}>
        Save as…
      </button>
    </>
  );
}

export function Toolbar({ preferredBackend }: { preferredBackend: BackendName | undefined }) {
  const title = useGraphStore((state) => state.document.title ?? 'Untitled graph');
  const source = useGraphStore((state) => state.source);
  const phase = useRunStore((state) => state.phase);
  const backendPhase = useRunStore((state) => state.backend.phase);
  const running = phase === 'running';

  return (
    <header className="toolbar">
      <span className="brand">Principia</span>
      <span className="graph-title" title={source}>
        {title}
      </span>
      <span className="spacer" />
      <DesktopFileButtons />
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
      {running ? (
        <button className="secondary" onClick={cancelRun} data-testid="cancel-button">
          Cancel
        </button>
      ) : (
        <button
          className="primary"
          data-testid="run-button"
          disabled={backendPhase === 'starting'}
          onClick={() => void runGraph(useGraphStore.getState().document)}
        >
          ▶ Run
        </button>
      )}
    </header>
  );
}
