// Shows what the pipeline produced: a solver's particles live while it runs, then its final
// samples, over the target mixture.
import { useMemo } from 'react';
import { useGraphStore } from '../graph/graph-store';
import { useRunStore } from '../run/run-store';
import { mixtureBounds, mixtureOf } from './mixture-backdrop';
import { padBounds, robustBounds, type DataBounds } from './plot-view';
import { ScatterPlot } from './ScatterPlot';

const FALLBACK_BOUNDS: DataBounds = { xMin: -4, xMax: 4, yMin: -4, yMax: 4 };

export function PreviewPanel() {
  const document = useGraphStore((state) => state.document);
  const liveFrame = useRunStore((state) => state.liveFrame);
  const samples = useRunStore((state) => state.samples);
  const mixture = useMemo(() => mixtureOf(document), [document]);

  const [finalNodeId, finalSamples] = Object.entries(samples).at(-1) ?? [];
  const shown = liveFrame?.points ?? finalSamples;

  // Fix the frame to the target distribution so runs can be compared by eye; without one, fit the
  // final samples.
  const bounds = useMemo(() => {
    const fromMixture = mixtureBounds(mixture);
    if (fromMixture) return padBounds(fromMixture, 0.08);
    const fromSamples = finalSamples && robustBounds(finalSamples.values, finalSamples.dim);
    return fromSamples ? padBounds(fromSamples, 0.1) : FALLBACK_BOUNDS;
  }, [mixture, finalSamples]);

  let caption: string;
  if (liveFrame)
    caption = `${liveFrame.nodeId} · step ${liveFrame.step} · σ̃ = ${liveFrame.sigmaTilde.toPrecision(3)}`;
  else if (finalSamples) caption = `${finalNodeId} · final samples · ${finalSamples.count} points`;
  else caption = 'Run the graph to draw samples';

  return (
    <section className="preview" aria-label="Preview">
      <header>
        <h2>Samples</h2>
        <span className="caption" data-testid="preview-caption">
          {caption}
        </span>
      </header>
      <ScatterPlot
        bounds={bounds}
        mixture={mixture}
        points={shown}
        pointColour={liveFrame ? '#8ecae6' : '#ffd166'}
      />
      {mixture.length > 0 && (
        <footer className="legend">
          <span className="swatch mixture" /> target mixture ({mixture.length} components)
          <span className="swatch samples" /> samples
        </footer>
      )}
    </section>
  );
}
