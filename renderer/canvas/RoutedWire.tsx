// A wire on the canvas: a plain curve, or a smooth one through its bend points. Double-click the
// wire to add a bend where you clicked; drag a bend to move it; double-click a bend to remove it.
// Each is one undoable edit; a bend's drag is drawn by this wire alone until it is dropped.
import {
  BaseEdge,
  EdgeLabelRenderer,
  useReactFlow,
  type Edge,
  type EdgeProps,
} from '@xyflow/react';
import { memo, useRef, useState } from 'react';
import type { Position } from '../graph/document-edits';
import { useGraphStore } from '../graph/graph-store';
import { addBend, bendInsertionIndex, moveBend, removeBend } from '../graph/wire-edits';
import { drawnWirePath } from './wire-path';
import './routed-wire.css';

export interface WireData extends Record<string, unknown> {
  readonly colour: string;
  readonly via?: readonly Position[];
}

export type WireEdge = Edge<WireData, 'wire'>;

const NO_BENDS: readonly Position[] = [];

function RoutedWireView(props: EdgeProps<WireEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const { style, data, interactionWidth } = props;
  const via = data?.via ?? NO_BENDS;
  const flow = useReactFlow();
  // The bend being dragged and where it is now: drawn here, written to the document on drop.
  const [moving, setMoving] = useState<{ index: number; at: Position } | null>(null);
  const bends = moving ? via.map((bend, i) => (i === moving.index ? moving.at : bend)) : via;
  const from = { x: sourceX, y: sourceY };
  const to = { x: targetX, y: targetY };
  const path = drawnWirePath({ ...from, side: sourcePosition }, bends, {
    ...to,
    side: targetPosition,
  });

  const addBendAt = (event: React.MouseEvent) => {
    event.stopPropagation();
    const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    const index = bendInsertionIndex(from, via, to, at);
    useGraphStore.getState().edit((draft) => addBend(draft, id, index, at));
  };

  return (
    <>
      <g onDoubleClick={addBendAt}>
        <BaseEdge id={id} path={path} style={style} interactionWidth={interactionWidth} />
      </g>
      {bends.length > 0 && (
        <EdgeLabelRenderer>
          {bends.map((bend, index) => (
            <BendHandle
              key={index}
              wireId={id}
              index={index}
              at={bend}
              colour={data?.colour ?? '#888'}
              onMove={(at) => setMoving(at ? { index, at } : null)}
            />
          ))}
        </EdgeLabelRenderer>
      )}
    </>
  );
}

function BendHandle({
  wireId,
  index,
  at,
  colour,
  onMove,
}: {
  wireId: string;
  index: number;
  at: Position;
  colour: string;
  onMove: (at: Position | null) => void;
}) {
  const flow = useReactFlow();
  const drag = useRef<{ pointer: Position; start: Position; zoom: number; at: Position } | null>(
    null,
  );
  const { edit } = useGraphStore.getState();
  return (
    <div
      className="wire-bend nodrag nopan"
      style={{
        transform: `translate(-50%, -50%) translate(${at.x}px, ${at.y}px)`,
        borderColor: colour,
      }}
      data-testid={`bend-${wireId}-${index}`}
      title="Drag to move this bend; double-click to remove it"
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        event.stopPropagation();
        event.currentTarget.setPointerCapture(event.pointerId);
        const start = { x: at.x, y: at.y };
        drag.current = {
          pointer: { x: event.clientX, y: event.clientY },
          start,
          zoom: flow.getZoom(),
          at: start,
        };
      }}
      onPointerMove={(event) => {
        const current = drag.current;
        if (!current) return;
        current.at = {
          x: current.start.x + (event.clientX - current.pointer.x) / current.zoom,
          y: current.start.y + (event.clientY - current.pointer.y) / current.zoom,
        };
        onMove(current.at);
      }}
      onPointerUp={(event) => {
        const current = drag.current;
        drag.current = null;
        event.currentTarget.releasePointerCapture(event.pointerId);
        if (current) edit((draft) => moveBend(draft, wireId, index, current.at));
        onMove(null);
      }}
      onDoubleClick={(event) => {
        event.stopPropagation();
        edit((draft) => removeBend(draft, wireId, index));
      }}
    />
  );
}

export const RoutedWire = memo(RoutedWireView);
