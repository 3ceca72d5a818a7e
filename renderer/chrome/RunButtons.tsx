// Run, Run selected branch, Cancel and the auto-run toggle.
import './run-buttons.css';
import { useEditorStore } from '../editor/editor-store';
import { useGraphStore } from '../graph/graph-store';
import { cancelRun, runGraph, runSelectedBranch, setAutoRun } from '../run/run-controller';
import { useRunStore } from '../run/run-store';

export function RunButtons({ running, disabled }: { running: boolean; disabled: boolean }) {
  const autoRun = useRunStore((state) => state.autoRun);
  const selectedCount = useEditorStore((state) => state.selection.nodes.length);
  return (
    <div className="run-buttons" role="group" aria-label="Run">
      <label
        className={`auto-run${autoRun ? ' on' : ''}`}
        title="Re-run after every edit (only what changed is computed again)"
      >
        <input
          type="checkbox"
          checked={autoRun}
          data-testid="auto-run"
          onChange={(event) => setAutoRun(event.target.checked)}
        />
        Auto-run
      </label>
      <button
        className="secondary"
        data-testid="run-selected-button"
        disabled={running || disabled || selectedCount === 0}
        title="Run the selected nodes and only what they need"
        onClick={() => void runSelectedBranch()}
      >
        ▶ Run selected
      </button>
      {running ? (
        <button className="danger" onClick={cancelRun} data-testid="cancel-button">
          ■ Cancel
        </button>
      ) : (
        <button
          className="primary"
          data-testid="run-button"
          disabled={disabled}
          title="Run the whole graph (Ctrl+Enter)"
          onClick={() => void runGraph(useGraphStore.getState().document)}
        >
          ▶ Run
        </button>
      )}
    </div>
  );
}
