// The node library: every node type, grouped by kind, with search. Drag one onto the canvas, or
// double-click it to drop it in the middle of the view. It folds to its search box (remembered), so
// the inspector below can have the column's full height; typing a search unfolds it.
import { useMemo, useState } from 'react';
import { usePanelSizes } from '../chrome/panel-sizes';
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
  const collapsed = usePanelSizes((state) => state.libraryCollapsed);
  const update = usePanelSizes((state) => state.update);
  return (
    <aside
      className="library"
      aria-label="Node library"
      data-testid="library"
      data-collapsed={collapsed}
    >
      <div className="library-header">
        <input
          type="search"
          className="library-search"
          placeholder="Search nodes…"
          aria-label="Search nodes"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            if (collapsed) update({ libraryCollapsed: false });
          }}
        />
        <button
          type="button"
          className="library-fold"
          aria-expanded={!collapsed}
          title={
            collapsed ? 'Show the node library' : 'Fold the library: the inspector gets the column'
          }
          data-testid="library-fold"
          onClick={() => update({ libraryCollapsed: !collapsed })}
        >
          {collapsed ? 'Library ▸' : '▾'}
        </button>
      </div>
      <div className="library-groups" hidden={collapsed}>
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
