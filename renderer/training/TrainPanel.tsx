// The inspector's Train section for a learned node: train from its inputs with its params (seeded,
// so the same graph trains the same weights), follow the steps, cancel, and see where the weights
// went (the loss curve and samples are in the dock's Training tab). A graph with no folder on disk
// keeps them for this session and offers a download.
import { downloadBytes } from '../platform/browser-files';
import { sessionFile } from '../files/document-files';
import { cancelTraining, startTraining } from './training-controller';
import { useTrainingStore } from './training-store';
import './training.css';

function downloadWeights(paths: readonly string[]): void {
  for (const path of paths) {
    const bytes = sessionFile(path);
    const name = path.split(/[\\/]/u).at(-1) ?? 'weights';
    if (bytes) downloadBytes(name, bytes, 'application/octet-stream');
  }
}

export function TrainPanel({ nodeId }: { nodeId: string }) {
  const phase = useTrainingStore((state) => state.phase);
  const mine = useTrainingStore((state) => state.nodeId === nodeId);
  const last = useTrainingStore((state) => (mine ? state.progress.at(-1) : undefined));
  const first = useTrainingStore((state) => (mine ? state.progress[0] : undefined));
  const written = useTrainingStore((state) => state.written);
  const ms = useTrainingStore((state) => state.ms);
  const error = useTrainingStore((state) => state.error);
  const busy = phase === 'training';
  const inSession = mine ? written.filter((file) => file.where === 'session') : [];

  return (
    <div className="train-panel" data-testid="train-panel" data-phase={mine ? phase : 'idle'}>
      <div className="train-actions">
        {busy && mine ? (
          <button type="button" onClick={cancelTraining} data-testid="train-cancel">
            Cancel training
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => void startTraining(nodeId)}
            data-testid="train-button"
          >
            Train
          </button>
        )}
        {last && (
          <span className="muted" data-testid="train-status">
            step {last.step} / {last.steps} · loss {last.loss.toPrecision(3)}
          </span>
        )}
      </div>
      {mine && busy && (
        <progress max={last?.steps ?? 1} value={last?.step ?? 0} data-testid="train-progress" />
      )}
      {mine && phase === 'done' && first && last && (
        <p className="train-result" data-testid="train-result">
          Trained in {((ms ?? 0) / 1000).toFixed(1)} s: loss {first.loss.toPrecision(3)} →{' '}
          {last.loss.toPrecision(3)}.{' '}
          {inSession.length > 0 ? (
            <>
              Weights kept for this session (save the graph in the desktop app to write them beside
              it).{' '}
              <button type="button" onClick={() => downloadWeights(inSession.map((f) => f.path))}>
                Download weights
              </button>
            </>
          ) : (
            <>Weights written to {written.map((file) => file.path).join(' and ')}.</>
          )}{' '}
          Run the graph to sample with them.
        </p>
      )}
      {mine && (phase === 'failed' || phase === 'cancelled') && (
        <p className="field-error" role="alert" data-testid="train-error">
          {phase === 'cancelled' ? 'Training cancelled; no weights were written.' : error}
        </p>
      )}
    </div>
  );
}
