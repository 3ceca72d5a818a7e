// A node drag drawn straight onto the page. React Flow writes every pointer move of a drag into its
// store, and each write re-runs the selector of every node, port and wire (about 2,000 on a
// 300-node graph) and re-renders the dragged card and its wires; each redrawn wire then costs a
// layout and a repaint of the whole canvas. While a drag lasts, the painter instead moves the
// dragged cards' elements (each on a compositor layer of its own) and draws the wires that touch
// them on a canvas over the graph, the wires themselves hidden. The drop goes through React Flow
// and the document as any edit does, and React draws the same positions again.
import { Position as Side, type Edge, type InternalNode, type ReactFlowState } from '@xyflow/react';
import type { Position } from '../graph/document-edits';
import type { FlowNode } from './flow-elements';
import type { WireData } from './RoutedWire';
import { drawnWirePath } from './wire-path';

interface HandleBox {
  readonly id?: string | null;
  readonly position: Side;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface WireEnd {
  readonly node: string;
  /** The port's anchor relative to its node's top-left corner, and the side it leaves from. */
  readonly offset: Position;
  readonly side: Side;
}

interface PaintedWire {
  readonly colour: string;
  readonly width: number;
  readonly source: WireEnd;
  readonly target: WireEnd;
  readonly via: readonly Position[];
}

/** Where a wire meets a port: the middle of the handle's outer edge, as React Flow draws it. */
function anchorOf(handle: HandleBox): Position {
  switch (handle.position) {
    case Side.Left:
      return { x: handle.x, y: handle.y + handle.height / 2 };
    case Side.Right:
      return { x: handle.x + handle.width, y: handle.y + handle.height / 2 };
    case Side.Top:
      return { x: handle.x + handle.width / 2, y: handle.y };
    case Side.Bottom:
      return { x: handle.x + handle.width / 2, y: handle.y + handle.height };
  }
}

function wireEnd(
  node: InternalNode<FlowNode> | undefined,
  kind: 'source' | 'target',
  handleId: string | null | undefined,
): WireEnd | undefined {
  const handles = node?.internals.handleBounds?.[kind] as readonly HandleBox[] | null | undefined;
  const handle = handles?.find((candidate) => (candidate.id ?? null) === (handleId ?? null));
  if (!node || !handle) return undefined;
  return { node: node.id, offset: anchorOf(handle), side: handle.position };
}

/** React Flow's viewport: the flow's origin on screen and its zoom. */
export type ViewportTransform = readonly [x: number, y: number, zoom: number];

export class DragPainter {
  private readonly cards = new Map<string, HTMLElement>();
  /** Where the wires' nodes were when the drag began. */
  private readonly start = new Map<string, Position>();
  private readonly wires: PaintedWire[] = [];
  /** The dragged wires' own SVG elements, hidden while the overlay draws them. */
  private readonly hidden = new Set<SVGSVGElement>();

  private constructor(
    private readonly overlay: HTMLCanvasElement,
    private readonly transform: () => ViewportTransform,
  ) {}

  /**
   * Ready to paint a drag of `nodeIds`, or undefined when some element or port is not drawn
   * (then React Flow draws the drag itself, as it always can).
   */
  static begin(
    container: HTMLElement,
    overlay: HTMLCanvasElement,
    state: Pick<ReactFlowState<FlowNode, Edge>, 'nodeLookup' | 'edges'>,
    nodeIds: ReadonlySet<string>,
    transform: () => ViewportTransform,
  ): DragPainter | undefined {
    const painter = new DragPainter(overlay, transform);
    for (const id of nodeIds) {
      const element = container.querySelector<HTMLElement>(
        `.react-flow__node[data-id="${CSS.escape(id)}"]`,
      );
      if (!element) return undefined;
      painter.cards.set(id, element);
    }
    for (const edge of state.edges) {
      if (!nodeIds.has(edge.source) && !nodeIds.has(edge.target)) continue;
      const sourceNode = state.nodeLookup.get(edge.source);
      const targetNode = state.nodeLookup.get(edge.target);
      const source = wireEnd(sourceNode, 'source', edge.sourceHandle);
      const target = wireEnd(targetNode, 'target', edge.targetHandle);
      const group = container.querySelector(`.react-flow__edge[data-id="${CSS.escape(edge.id)}"]`);
      const drawn = group?.querySelector<SVGPathElement>('.react-flow__edge-path');
      const svg = drawn?.ownerSVGElement;
      if (!source || !target || !drawn || !svg) return undefined;
      painter.start.set(edge.source, sourceNode!.internals.positionAbsolute);
      painter.start.set(edge.target, targetNode!.internals.positionAbsolute);
      const look = getComputedStyle(drawn);
      painter.hidden.add(svg);
      painter.wires.push({
        colour: look.stroke,
        width: parseFloat(look.strokeWidth) || 2,
        source,
        target,
        via: (edge.data as WireData | undefined)?.via ?? [],
      });
    }
    // Shown only while a drag lasts: an idle canvas over the graph would still be a compositor
    // layer on every frame the app draws.
    overlay.classList.add('drawing');
    const box = overlay.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    overlay.width = Math.round(box.width * ratio);
    overlay.height = Math.round(box.height * ratio);
    for (const svg of painter.hidden) svg.classList.add('dragged-wire');
    return painter;
  }

  /** Draws the dragged cards at `positions` (the others stay where they are) and their wires. */
  move(positions: ReadonlyMap<string, Position>): void {
    for (const [id, at] of positions) {
      const card = this.cards.get(id);
      if (card) card.style.transform = `translate(${at.x}px, ${at.y}px)`;
    }
    const place = (end: WireEnd): Position => {
      const at = positions.get(end.node) ?? this.start.get(end.node)!;
      return { x: at.x + end.offset.x, y: at.y + end.offset.y };
    };
    const context = this.clearedOverlay();
    if (!context) return;
    const ratio = window.devicePixelRatio || 1;
    const [x, y, zoom] = this.transform();
    context.setTransform(zoom * ratio, 0, 0, zoom * ratio, x * ratio, y * ratio);
    for (const wire of this.wires) {
      context.strokeStyle = wire.colour;
      context.lineWidth = wire.width;
      context.stroke(
        new Path2D(
          drawnWirePath({ ...place(wire.source), side: wire.source.side }, wire.via, {
            ...place(wire.target),
            side: wire.target.side,
          }),
        ),
      );
    }
  }

  /** Clears the overlay and shows the wires again, where React Flow draws them after the drop. */
  end(): void {
    this.clearedOverlay();
    this.overlay.classList.remove('drawing');
    for (const svg of this.hidden) svg.classList.remove('dragged-wire');
  }

  private clearedOverlay(): CanvasRenderingContext2D | null {
    const context = this.overlay.getContext('2d');
    context?.setTransform(1, 0, 0, 1, 0, 0);
    context?.clearRect(0, 0, this.overlay.width, this.overlay.height);
    return context;
  }
}
