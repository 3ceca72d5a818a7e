// The presets gallery: a card per bundled preset (thumbnail, title, one line of description);
// choosing one opens it as a new, not yet saved document.
import { useEffect, useMemo } from 'react';
import { openPresetDocument } from '../files/file-actions';
import { setGalleryOpen, useFileStore } from '../files/file-store';
import './gallery.css';
import { graphThumbnail, THUMBNAIL_HEIGHT, THUMBNAIL_WIDTH } from './graph-thumbnail';
import { PRESETS, type Preset } from './presets';

function GraphThumbnail({ preset }: { preset: Preset }) {
  const thumbnail = useMemo(
    () => (preset.document ? graphThumbnail(preset.document) : { boxes: [], wires: [] }),
    [preset],
  );
  return (
    <svg
      className="preset-thumbnail"
      viewBox={`0 0 ${THUMBNAIL_WIDTH} ${THUMBNAIL_HEIGHT}`}
      role="img"
      aria-label={`${preset.title}: ${thumbnail.boxes.length} nodes`}
    >
      {thumbnail.wires.map((wire, index) => (
        <path key={index} d={wire} className="preset-thumbnail-wire" />
      ))}
      {thumbnail.boxes.map((box) => (
        <g key={box.id}>
          <rect
            x={box.x}
            y={box.y}
            width={box.width}
            height={box.height}
            rx={3}
            className="preset-thumbnail-node"
          />
          <rect x={box.x} y={box.y} width={box.width} height={3} rx={1.5} fill={box.colour} />
        </g>
      ))}
    </svg>
  );
}

async function choose(preset: Preset): Promise<void> {
  if (!preset.document) return;
  setGalleryOpen(false);
  await openPresetDocument(preset.document, preset.fileName);
}

export function PresetGallery() {
  const open = useFileStore((state) => state.galleryOpen);
  useEffect(() => {
    if (!open) return;
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setGalleryOpen(false);
    };
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [open]);
  if (!open) return null;
  return (
    <div className="file-modal-backdrop" onClick={() => setGalleryOpen(false)}>
      <section
        className="preset-gallery"
        role="dialog"
        aria-label="Presets"
        data-testid="preset-gallery"
        onClick={(event) => event.stopPropagation()}
      >
        <header>
          <h2>Presets</h2>
          <span className="preset-gallery-hint">
            Opens as a new document; your files are untouched.
          </span>
          <button
            className="preset-gallery-close"
            onClick={() => setGalleryOpen(false)}
            aria-label="Close"
          >
            ×
          </button>
        </header>
        <ul className="preset-cards">
          {PRESETS.map((preset) => (
            <li key={preset.fileName}>
              <button
                className="preset-card"
                data-testid={`preset-${preset.fileName.replace(/\.graph\.json$/, '')}`}
                disabled={!preset.document}
                title={preset.error ?? preset.description}
                onClick={() => void choose(preset)}
              >
                <GraphThumbnail preset={preset} />
                <span className="preset-title">{preset.title}</span>
                <span className="preset-summary">{preset.summary}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
