// The dock's Training tab: the node being trained, its loss on a log axis against the step, and
// samples of the model every so often as it learns (the worker draws them with the current
// weights; see graph-nodes/neural/training-samples.ts for which sampler and why).
import { useRef } from 'react';
import { useBoxSize } from '../preview/use-box-size';
import { LossCurve } from './LossCurve';
import { SamplePreviews } from './SamplePreviews';
import { useTrainingStore } from './training-store';
import './training-dock.css';

const LOSS_HEIGHT = 220;

function TrainingStatus() {
  const phase = useTrainingStore((state) => state.phase);
  const nodeId = useTrainingStore((state) => state.nodeId);
  const last = useTrainingStore((state) => state.progress.at(-1));
  const ms = useTrainingStore((state) => state.ms);
  const error = useTrainingStore((state) => state.error);
  const counts = last ? `step ${last.step} / ${last.steps} · loss ${last.loss.toPrecision(3)}` : '';
  const outcome =
    phase === 'done'
      ? `done in ${((ms ?? 0) / 1000).toFixed(1)} s`
      : phase === 'cancelled'
        ? 'cancelled; no weights were written'
        : phase === 'failed'
          ? `failed: ${error ?? ''}`
          : 'training…';
  return (
    <header className="training-status">
      <strong>{nodeId}</strong>
      <span className="muted" data-testid="training-dock-status">
        {[counts, outcome].filter(Boolean).join(' · ')}
      </span>
    </header>
  );
}

function TrainingLoss() {
  const progress = useTrainingStore((state) => state.progress);
  const steps = progress.at(-1)?.steps ?? 1;
  const box = useRef<HTMLDivElement>(null);
  const { width } = useBoxSize(box);
  return (
    <div className="training-loss" ref={box}>
      {progress.length > 0 && width > 0 ? (
        <LossCurve progress={progress} steps={steps} width={width} height={LOSS_HEIGHT} />
      ) : (
        <p className="muted">The loss appears here after the first steps.</p>
      )}
    </div>
  );
}

export function TrainingDock() {
  const phase = useTrainingStore((state) => state.phase);
  const previews = useTrainingStore((state) => state.previews);
  return (
    <section
      className="training-dock"
      aria-label="Training"
      data-testid="training-dock"
      data-phase={phase}
    >
      <TrainingStatus />
      <TrainingLoss />
      <h3 className="training-heading">
        Samples of the model as it trains (its EMA weights, as saved)
      </h3>
      <SamplePreviews previews={previews} />
    </section>
  );
}
