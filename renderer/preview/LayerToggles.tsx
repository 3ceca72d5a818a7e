// What the 2-D preview draws besides the particles, and how it frames them; doubles as the legend.
// A Schrödinger bridge's x̂₀ is its predicted endpoint, and its data the coupling's target.
import { previewState, usePreviewStore, type PreviewLayers } from './preview-store';
import type { Backdrop } from './scene-drawing';

const LAYERS: readonly { key: keyof PreviewLayers; label: string; swatch: string }[] = [
  { key: 'trails', label: 'trails', swatch: 'trail' },
  { key: 'x0hat', label: 'x̂₀ predictions', swatch: 'x0hat' },
  { key: 'contours', label: 'density contours', swatch: 'contour' },
  { key: 'data', label: 'data', swatch: 'mixture' },
];

/** A Schrödinger bridge's names for the same layers. */
const BRIDGE_LABELS: Partial<Record<keyof PreviewLayers, string>> = {
  x0hat: 'predicted endpoints E[X₁ | X_t]',
  data: 'target ν',
};

export function LayerToggles({
  backdrop,
  bridge = false,
}: {
  backdrop: Backdrop;
  bridge?: boolean;
}) {
  const layers = usePreviewStore((state) => state.layers);
  const zoom = usePreviewStore((state) => state.zoom);
  const dataLabel =
    backdrop.mixture.length > 0
      ? `target mixture (${backdrop.mixture.length} components)`
      : backdrop.dataset
        ? 'data set'
        : 'data';
  return (
    <footer className="legend layer-toggles">
      <span className="legend-entry">
        <span className="swatch samples" /> {bridge ? 'paths at t' : 'particles'}
      </span>
      {LAYERS.map(({ key, label, swatch }) => (
        <label key={key} className="layer-toggle">
          <input
            type="checkbox"
            checked={layers[key]}
            data-testid={`layer-${key}`}
            onChange={() => previewState.toggleLayer(key)}
          />
          <span className={`swatch ${swatch}`} />
          {(bridge ? BRIDGE_LABELS[key] : undefined) ?? (key === 'data' ? dataLabel : label)}
        </label>
      ))}
      <label className="layer-toggle">
        <input
          type="checkbox"
          checked={zoom === 'follow'}
          data-testid="zoom-follow"
          onChange={(event) => previewState.setZoom(event.target.checked ? 'follow' : 'data')}
        />
        follow particles
      </label>
    </footer>
  );
}
