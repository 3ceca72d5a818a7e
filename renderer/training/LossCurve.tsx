// The training loss as it falls, on a log scale (it spans decades early on): one polyline.
import type { TrainingProgress } from '../engine/engine-protocol';

const WIDTH = 220;
const HEIGHT = 70;

export function LossCurve({ progress }: { progress: readonly TrainingProgress[] }) {
  const points = progress.filter((p) => p.loss > 0 && Number.isFinite(p.loss));
  if (points.length === 0) return null;
  const logs = points.map((p) => Math.log10(p.loss));
  const low = Math.min(...logs);
  const high = Math.max(...logs);
  const lastStep = points.at(-1)!.steps;
  const coordinates = points.map((p, k) => {
    const x = (p.step / lastStep) * WIDTH;
    const y = high === low ? HEIGHT / 2 : ((high - logs[k]!) / (high - low)) * (HEIGHT - 4) + 2;
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  return (
    <svg
      className="loss-curve"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`loss from ${points[0]!.loss.toPrecision(3)} to ${points.at(-1)!.loss.toPrecision(3)}`}
      data-testid="loss-curve"
      data-points={points.length}
      data-first={points[0]!.loss}
      data-last={points.at(-1)!.loss}
    >
      <polyline
        points={coordinates.join(' ')}
        fill="none"
        stroke="var(--accent)"
        strokeWidth="1.5"
      />
    </svg>
  );
}
