// The inspector's Train section for a learned node: train from its inputs with its params (seeded,
// so the same graph trains the same weights), watch the loss fall, cancel, and see where the
// weights went. A graph with no folder on disk keeps them for this session and offers a download.
import { downloadBytes } from '../platform/browser-files';
import { sessionFile } from '../files/document-files';
import { LossCurve } from './LossCurve';
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
  const training = useTrainingStore();
  const mine = training.nodeId === nodeId;
  const busy = training.phase === 'training';
  const last = mine ? training.progress.at(-1) : undefined;
  const first = mine ? training.progress[0] : undefined;
  const inSession = mine ? training.written.filter((file) => file.where === 'session') : [];

  return (
    <div
      className="train-panel"
      data-testid="train-panel"
      data-phase={mine ? training.phase : 'idle'}
    >
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
      {mine && <LossCurve progress={training.progress} />}
      {mine && training.phase === 'done' && first && last && (
        <p className="train-result" data-testid="train-result">
          Trained in {((training.ms ?? 0) / 1000).toFixed(1)} s: loss {first.loss.toPrecision(3)} →{' '}
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
            <>Weights written to {training.written.map((file) => file.path).join(' and ')}.</>
          )}{' '}
          Run the graph to sample with them.
        </p>
      )}
      {mine && (training.phase === 'failed' || training.phase === 'cancelled') && (
        <p className="field-error" role="alert" data-testid="train-error">
          {training.phase === 'cancelled'
            ? 'Training cancelled; no weights were written.'
            : training.error}
        </p>
      )}
    </div>
  );
}
