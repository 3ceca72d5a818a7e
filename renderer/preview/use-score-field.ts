// The score view's data: D of the run's own denoiser on a grid over the visible plane at the shown
// frame's σ̃, asked of the engine worker (which evaluates its cached denoiser), latest request
// only, and turned into the chosen parameterisation's vectors.
import { useEffect, useMemo, useRef, useState } from 'react';
import { engineClient } from '../engine/engine-client';
import { useRunStore } from '../run/run-store';
import { latestRequester, type LatestRequester } from './latest-request';
import type { PlotView } from './plot-view';
import { fieldGrid, fieldVectors, type FieldKind, type FieldSource } from './score-field';

/** What the dock asks the field layer to show. */
export interface FieldRequest {
  readonly source: FieldSource;
  readonly kind: FieldKind;
  readonly sigma: number;
}

/** The field as evaluated: its grid, vectors and the view and σ̃ they belong to. */
export interface FieldResult {
  readonly viewKey: string;
  readonly kind: FieldKind;
  readonly sigma: number;
  readonly points: Float32Array;
  readonly vectors: Float32Array;
}

interface Query extends FieldRequest {
  readonly viewKey: string;
  readonly points: Float32Array;
}

/** A pause this long in the scrubbing sends the request. */
const DEBOUNCE_MS = 40;

async function evaluate(query: Query): Promise<Float32Array> {
  const { source, kind, sigma, points } = query;
  const engine = engineClient();
  const at = (ref: { node: string; port: string }) =>
    engine.denoiseAt({ ...ref, sigmaTilde: sigma, points });
  const denoised = await at(source.denoiser);
  const exact = kind === 'difference' && source.exact ? await at(source.exact) : undefined;
  return fieldVectors(kind, points, denoised, sigma, exact);
}

/**
 * The field for `request` over `view` (undefined: the layer is off), once the worker has answered;
 * `error` says why there is none when it refused.
 */
export function useScoreField(
  request: FieldRequest | undefined,
  view: PlotView | undefined,
  viewKey: string,
): { field: FieldResult | undefined; error: string | undefined } {
  const [field, setField] = useState<FieldResult>();
  const [error, setError] = useState<string>();
  const requester = useRef<LatestRequester<Query> | undefined>(undefined);
  const running = useRunStore((state) => state.phase === 'running');
  const runCount = useRunStore((state) => state.runCount);

  useEffect(() => {
    const made = latestRequester<Query, Float32Array>(
      evaluate,
      (query, vectors) => {
        setError(undefined);
        setField({
          viewKey: query.viewKey,
          kind: query.kind,
          sigma: query.sigma,
          points: query.points,
          vectors,
        });
      },
      (_query, reason) => {
        setField(undefined);
        setError(reason instanceof Error ? reason.message : String(reason));
      },
      DEBOUNCE_MS,
    );
    requester.current = made;
    return () => made.cancel();
  }, []);

  const { source, kind, sigma } = request ?? {};
  const sourceKey = source ? JSON.stringify(source) : '';
  const points = useMemo(() => (view ? fieldGrid(view) : undefined), [viewKey]);
  useEffect(() => {
    // The worker refuses while a run may replace the denoiser: ask again when it is done.
    if (!source || !kind || sigma === undefined || !points || running) {
      requester.current?.cancel();
      if (!source) {
        setField(undefined);
        setError(undefined);
      }
      return;
    }
    requester.current?.request({ source, kind, sigma, viewKey, points });
  }, [sourceKey, kind, sigma, points, running, runCount]);

  // While a run goes, the last field may belong to a denoiser the run is replacing: none is shown.
  const shown = source !== undefined && !running;
  return { field: shown ? field : undefined, error: shown ? error : undefined };
}
