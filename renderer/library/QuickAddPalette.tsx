// The quick-add palette (Space, double-click on the canvas, or a wire dropped on empty canvas):
// type to fuzzy-search, Enter or click to add. For a dropped wire it offers only the nodes that
// can take it, and wires the one chosen.
import { useEffect, useMemo, useState } from 'react';
import { catalogue } from '../../graph-nodes';
import { NODE_KIND_COLOURS } from '../canvas/palette';
import { addNodeAt } from '../editor/commands';
import { editorState, useEditorStore, type PaletteRequest } from '../editor/editor-store';
import { nodesForWire, searchNodes, type PortChoice } from './node-search';

const MAX_SHOWN = 12;

function choicesFor(request: PaletteRequest, query: string): PortChoice[] {
  const definitions = catalogue.list();
  if (!request.wire)
    return searchNodes(definitions, query).map((definition) => ({ definition, port: '' }));
  const compatible = nodesForWire(definitions, request.wire.end);
  const order = searchNodes(
    compatible.map((choice) => choice.definition),
    query,
  );
  return order.map((definition) => compatible.find((choice) => choice.definition === definition)!);
}

function Palette({ request }: { request: PaletteRequest }) {
  const [query, setQuery] = useState('');
  const [highlight, setHighlight] = useState(0);
  const choices = useMemo(() => choicesFor(request, query).slice(0, MAX_SHOWN), [request, query]);
  useEffect(() => setHighlight(0), [query]);

  const choose = (choice: PortChoice | undefined) => {
    if (!choice) return;
    editorState.closePalette();
    const { wire } = request;
    addNodeAt(
      choice.definition.type,
      request.at,
      wire && { ref: wire.ref, fixedSide: wire.end.side, port: choice.port },
    );
  };

  const left = Math.min(request.screen.x, window.innerWidth - 340);
  const top = Math.min(request.screen.y, window.innerHeight - 380);
  return (
    <div className="palette-backdrop" onMouseDown={() => editorState.closePalette()}>
      <div
        className="palette"
        role="dialog"
        aria-label="Quick add"
        data-testid="quick-add"
        style={{ left, top }}
        onMouseDown={(event) => event.stopPropagation()}
      >
        <input
          autoFocus
          placeholder={request.wire ? `Nodes that take ${describeWire(request)}…` : 'Add a node…'}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') setHighlight((h) => Math.min(h + 1, choices.length - 1));
            else if (event.key === 'ArrowUp') setHighlight((h) => Math.max(h - 1, 0));
            else if (event.key === 'Enter') choose(choices[highlight]);
            else if (event.key === 'Escape') editorState.closePalette();
            else return;
            event.preventDefault();
          }}
        />
        <ul>
          {choices.map((choice, index) => (
            <li
              key={choice.definition.type}
              className={index === highlight ? 'highlight' : undefined}
              onMouseEnter={() => setHighlight(index)}
              onClick={() => choose(choice)}
              data-testid={`quick-add-${choice.definition.type}`}
            >
              <span className="kind" style={{ color: NODE_KIND_COLOURS[choice.definition.kind] }}>
                {choice.definition.kind}
              </span>
              {choice.definition.title}
              {choice.port && <span className="muted"> → {choice.port}</span>}
            </li>
          ))}
          {choices.length === 0 && <li className="muted">No node matches.</li>}
        </ul>
      </div>
    </div>
  );
}

function describeWire(request: PaletteRequest): string {
  const end = request.wire?.end;
  if (!end) return '';
  return end.side === 'output' ? `${end.type}` : `giving ${end.accepts.join(' or ')}`;
}

export function QuickAddPalette() {
  const request = useEditorStore((state) => state.palette);
  return request ? <Palette request={request} /> : null;
}
