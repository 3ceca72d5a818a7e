// The node library: every node type, grouped by kind, with search. Drag one onto the canvas, or
// double-click it to drop it in the middle of the view.
import { useMemo, useState } from 'react';
import { catalogue } from '../../graph-nodes';
import { NODE_KIND_COLOURS } from '../canvas/palette';
import { addNodeAt, addNoteAt, freeSpotNear, viewCentre } from '../editor/commands';
import { groupByKind, searchNodes } from './node-search';

export const LIBRARY_DRAG_TYPE = 'application/x-principia-node';
/** What a dragged library entry carries for a comment note rather than a node type. */
export const NOTE_ENTRY = '#note';

export function LibraryPanel() {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => groupByKind(searchNodes(catalogue.list(), query)), [query]);
  return (
    <aside className="library" aria-label="Node library" data-testid="library">
      <input
        type="search"
        className="library-search"
        placeholder="Search nodes…"
        aria-label="Search nodes"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <div className="library-groups">
        {groups.map(({ kind, definitions }) => (
          <section key={kind}>
            <h3 style={{ color: NODE_KIND_COLOURS[kind] }}>{kind}</h3>
            {definitions.map((definition) => (
              <div
                key={definition.type}
                className="library-item"
                draggable
                data-testid={`library-${definition.type}`}
                title={`${definition.description}\n${definition.section}`}
                onDragStart={(event) => {
                  event.dataTransfer.setData(LIBRARY_DRAG_TYPE, definition.type);
                  event.dataTransfer.effectAllowed = 'copy';
                }}
                onDoubleClick={() => addNodeAt(definition.type, freeSpotNear(viewCentre()))}
                style={{ borderLeftColor: NODE_KIND_COLOURS[kind] }}
              >
                {definition.title}
              </div>
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className="muted">No node matches "{query}".</p>}
        <section>
          <h3 className="muted">canvas</h3>
          <div
            className="library-item note-entry"
            draggable
            data-testid="library-note"
            title="A comment on the canvas; saved with the graph, ignored by runs"
            onDragStart={(event) => {
              event.dataTransfer.setData(LIBRARY_DRAG_TYPE, NOTE_ENTRY);
              event.dataTransfer.effectAllowed = 'copy';
            }}
            onDoubleClick={() => addNoteAt(viewCentre())}
          >
            Note
          </div>
        </section>
      </div>
    </aside>
  );
}
