// What a 2-D view draws behind the particles, and the frame it fixes: the graph's mixture, else a
// data set the run produced. Shared by the trajectory dock and the compare panels.
import { useMemo } from 'react';
import type { NodePreview, PointCloud } from '../engine/engine-protocol';
import { useGraphStore } from '../graph/graph-store';
import { useRunStore } from '../run/run-store';
import { mixtureBounds, mixtureOf } from './mixture-backdrop';
import { padBounds, robustBounds, type DataBounds } from './plot-view';
import type { Backdrop } from './scene-drawing';

/** The data the particles should reach: the graph's mixture, else a data set the run produced. */
export function useBackdrop(): Backdrop {
  const document = useGraphStore((state) => state.document);
  const nodePreviews = useRunStore((state) => state.nodePreviews);
  const mixture = useMemo(() => mixtureOf(document), [document]);
  const dataset = useMemo(() => planeDataset(nodePreviews), [nodePreviews]);
  return useMemo(() => ({ mixture, ...(dataset ? { dataset } : {}) }), [mixture, dataset]);
}

/** A 2-D data set among a run's node previews: the backdrop when the graph has no mixture. */
export function planeDataset(
  nodePreviews: Readonly<Record<string, NodePreview>>,
): PointCloud | undefined {
  for (const preview of Object.values(nodePreviews))
    if (preview.kind === 'dataset' && preview.points.dim === 2) return preview.points;
  return undefined;
}

export function dataBounds(backdrop: Backdrop): DataBounds | undefined {
  const fromMixture = mixtureBounds(backdrop.mixture);
  if (fromMixture) return padBounds(fromMixture, 0.08);
  const { dataset } = backdrop;
  const fromData = dataset && robustBounds(dataset.values, dataset.dim);
  return fromData && padBounds(fromData, 0.15);
}
