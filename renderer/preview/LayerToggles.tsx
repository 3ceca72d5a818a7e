// What the 2-D preview draws besides the particles, and how it frames them; doubles as the legend.
// A Schrödinger bridge's x̂₀ is its predicted endpoint, and its data the coupling's target.
import { previewState, usePreviewStore, type PreviewLayers } from './preview-store';
import type { Backdrop } from './scene-drawing';
import { FIELD_KINDS, type FieldKind } from './score-field';

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

/**
 * The score view's switch and its parameterisation; 'difference vs exact' only where the graph
 * has an exact denoiser to compare the learned one with.
 */
function FieldToggle({ hasExact }: { hasExact: boolean }) {
  const field = usePreviewStore((state) => state.field);
  const kinds = FIELD_KINDS.filter(({ kind }) => kind !== 'difference' || hasExact);
  const kind = kinds.some((entry) => entry.kind === field.kind) ? field.kind : 'score';
  return (
    <span className="layer-toggle">
      <label className="layer-toggle">
        <input
          type="checkbox"
          checked={field.on}
          data-testid="layer-field"
          onChange={() => previewState.toggleField()}
        />
        <span className="swatch field">→</span>
        field
      </label>
      <select
        aria-label="Field shown"
        data-testid="field-kind"
        value={kind}
        disabled={!field.on}
        title="D of the graph's denoiser at the shown step's σ̃, on a 24 × 24 grid"
        onChange={(event) => previewState.setFieldKind(event.target.value as FieldKind)}
      >
        {kinds.map((entry) => (
          <option key={entry.kind} value={entry.kind}>
            {entry.label}
          </option>
        ))}
      </select>
    </span>
  );
}

export function LayerToggles({
  backdrop,
  bridge = false,
  field,
}: {
  backdrop: Backdrop;
  bridge?: boolean;
  /** The score view can be shown (a 2-D solver whose denoiser the last run made). */
  field?: { readonly hasExact: boolean };
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
      {field && <FieldToggle hasExact={field.hasExact} />}
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
