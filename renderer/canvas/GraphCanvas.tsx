// The pipeline canvas. React Flow keeps its own copy of the nodes for smooth dragging; a finished
// drag, a new wire or a drop is written to the document as one edit, and every document change
// is folded back into the canvas (keeping selection and measured sizes).
import { ownValue } from '../../graph-nodes/core/own';
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type OnSelectionChangeParams,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import { catalogue, type PortRef } from '../../graph-nodes';
import {
  addNodeAt,
  addNoteAt,
  attachCanvas,
  colourGroup,
  colourNodes,
  deleteItems,
  duplicateItems,
  freeSpotNear,
  groupNodesAt,
  hasClipboard,
  pasteAt,
  runCommand,
  selectGroupNodes,
  showNodeHelp,
  toggleBypass,
  toggleCollapsed,
  tryConnect,
  ungroupFrame,
} from '../editor/commands';
import { Notice } from '../editor/Overlays';
import {
  EMPTY_SELECTION,
  editorState,
  isMinimapShown,
  useEditorStore,
  type Selection,
} from '../editor/editor-store';
import { checkNewWire } from '../graph/connection-rules';
import { moveItems, type ItemIds, type Position } from '../graph/document-edits';
import { moveGroup, regroupDropped } from '../graph/group-edits';
import type { Rect } from '../graph/placement';
import { useGraphStore } from '../graph/graph-store';
import { LIBRARY_DRAG_TYPE, NOTE_ENTRY } from '../library/LibraryPanel';
import { groupByKind, type WireEnd } from '../library/node-search';
import { useRunStore } from '../run/run-store';
import { beginDrag, finishCloneDrag } from './alt-drag-clone';
import { DragPainter } from './drag-painter';
import { ContextMenu, type MenuItem, type ScreenPoint } from './ContextMenu';
import {
  groupIdOf,
  noteFlowId,
  noteIdOf,
  syncFlowEdges,
  syncFlowNodes,
  type FlowNode,
} from './flow-elements';
import { frameFollowerChanges } from './group-drag';
import { GroupFrame } from './GroupFrame';
import { RoutedWire } from './RoutedWire';
import { FIT_OPTIONS, legibleFitOptions, useZoomDetail } from './legible-zoom';
import { NodeCard } from './NodeCard';
import { NoteCard } from './NoteCard';
import { NODE_KIND_COLOURS, UNKNOWN_COLOUR } from './palette';
import { TypeLegend } from './TypeLegend';

const nodeTypes = { card: NodeCard, note: NoteCard, 'group-frame': GroupFrame };
const edgeTypes = { wire: RoutedWire };
const MULTI_SELECTION_KEYS = ['Meta', 'Control'];
// Handlers React Flow hands to every node and wire must keep their identity, or a drag frame
// re-renders all of them.
const hideHover = () => editorState.setHover(null);

function selectionIds(selection: Selection): Set<string> {
  return new Set([...selection.nodes, ...selection.notes.map(noteFlowId), ...selection.edges]);
}

function connectionEnds(connection: Connection): { from: PortRef; to: PortRef } | null {
  if (!connection.sourceHandle || !connection.targetHandle) return null;
  return {
    from: { node: connection.source, port: connection.sourceHandle },
    to: { node: connection.target, port: connection.targetHandle },
  };
}

/** The loose end of a wire dragged from `ref`, as the palette's filter wants it. */
function wireEndOf(nodeId: string, port: string, side: 'source' | 'target'): WireEnd | null {
  const type = useGraphStore.getState().document.nodes.find((node) => node.id === nodeId)?.type;
  const definition = type ? catalogue.get(type) : undefined;
  if (!definition) return null;
  if (side === 'source') {
    const output = ownValue(definition.outputs, port);
    return output ? { side: 'output', type: output.type } : null;
  }
  const input = ownValue(definition.inputs, port);
  return input ? { side: 'input', accepts: input.accepts } : null;
}

function minimapColour(node: FlowNode): string {
  if (node.type === 'note') return '#5c5a3a';
  if (node.type === 'group-frame') return '#2b3142';
  return node.data.definition ? NODE_KIND_COLOURS[node.data.definition.kind] : UNKNOWN_COLOUR;
}

/** Header tints a node can take from its right-click menu (saved as the node's `color`). */
export const NODE_TINTS: readonly { readonly name: string; readonly color: string }[] = [
  { name: 'Red', color: '#a33a3a' },
  { name: 'Orange', color: '#a8642a' },
  { name: 'Yellow', color: '#9c8a2e' },
  { name: 'Green', color: '#3f7d3a' },
  { name: 'Teal', color: '#2f7a78' },
  { name: 'Blue', color: '#3a5fa5' },
  { name: 'Purple', color: '#6d4aa5' },
  { name: 'Pink', color: '#a0457a' },
];

/** A right-click: on empty canvas, or on items (a node, a note, the selection). */
type MenuRequest =
  | { readonly kind: 'pane'; readonly screen: ScreenPoint; readonly at: Position }
  | {
      readonly kind: 'items';
      readonly screen: ScreenPoint;
      readonly at: Position;
      readonly items: ItemIds;
      /** The node right-clicked, whose help the menu offers. */
      readonly nodeId?: string;
    }
  | { readonly kind: 'group'; readonly screen: ScreenPoint; readonly groupId: string };

function paneMenu(request: { screen: ScreenPoint; at: Position }): MenuItem[] {
  const { screen, at } = request;
  const add = (type: string) => addNodeAt(type, freeSpotNear(at));
  return [
    {
      id: 'add-node',
      label: 'Add node',
      items: [
        {
          id: 'add-search',
          label: 'Search…',
          hint: 'Space',
          onPick: () => editorState.openPalette({ at: freeSpotNear(at), screen }),
        },
        ...groupByKind(catalogue.list()).map(({ kind, definitions }) => ({
          id: `add-kind-${kind}`,
          label: kind,
          swatch: NODE_KIND_COLOURS[kind],
          items: definitions.map((definition) => ({
            id: `add-${definition.type}`,
            label: definition.title,
            title: definition.description,
            onPick: () => add(definition.type),
          })),
        })),
      ],
    },
    { id: 'add-note', label: 'Add note', onPick: () => addNoteAt(at) },
    {
      id: 'paste',
      label: 'Paste',
      hint: 'Ctrl+V',
      disabled: !hasClipboard(),
      onPick: () => pasteAt(at),
    },
    { id: 'fit', label: 'Fit view', hint: 'F', onPick: () => runCommand('fit') },
    { id: 'layout', label: 'Auto-layout', hint: 'L', onPick: () => runCommand('layout') },
  ];
}

function itemsMenu(request: Extract<MenuRequest, { kind: 'items' }>): MenuItem[] {
  const { items, at, nodeId } = request;
  const nodeIds = items.nodes ?? [];
  const chosen = new Set(nodeIds);
  const nodes = useGraphStore.getState().document.nodes.filter((node) => chosen.has(node.id));
  const menu: MenuItem[] = [
    {
      id: 'duplicate',
      label: 'Duplicate',
      hint: 'Ctrl+D',
      onPick: () => duplicateItems(items, at),
    },
  ];
  if (nodes.length) {
    const current = nodes.every((node) => node.color === nodes[0]!.color) ? nodes[0]!.color : null;
    menu.push(
      {
        id: 'group',
        label: nodes.length > 1 ? 'Group selected' : 'Group',
        hint: 'Ctrl+G',
        title: 'Draw a titled frame around the nodes; dragging its title moves them together',
        onPick: () => groupNodesAt(nodeIds),
      },
      {
        id: 'bypass',
        label: 'Bypass',
        hint: 'Ctrl+B',
        title: 'Skip the node when the graph runs: each output takes its first input of that type',
        checked: nodes.every((node) => node.bypass === true),
        onPick: () => toggleBypass(nodeIds),
      },
      {
        id: 'collapse',
        label: 'Collapse',
        title: 'Draw the node as its header alone; its wires stay attached',
        checked: nodes.every((node) => node.collapsed === true),
        onPick: () => toggleCollapsed(nodeIds),
      },
      {
        id: 'colour',
        label: 'Colour',
        items: [
          {
            id: 'colour-none',
            label: 'None',
            swatch: '',
            checked: current === undefined,
            onPick: () => colourNodes(nodeIds, undefined),
          },
          ...NODE_TINTS.map(({ name, color }) => ({
            id: `colour-${name.toLowerCase()}`,
            label: name,
            swatch: color,
            checked: current === color,
            onPick: () => colourNodes(nodeIds, color),
          })),
        ],
      },
    );
  }
  menu.push({ id: 'delete', label: 'Delete', hint: 'Del', onPick: () => deleteItems(items) });
  if (nodeId !== undefined && nodes.length) {
    menu.push({
      id: 'help',
      label: 'Help',
      title: catalogue.get(nodes.find((node) => node.id === nodeId)?.type ?? '')?.description,
      onPick: () => showNodeHelp(nodeId),
    });
  }
  return menu;
}

const MENU_LABELS = { pane: 'Canvas', items: 'Node', group: 'Group' } as const;

function groupMenu(groupId: string): MenuItem[] {
  const group = useGraphStore.getState().document.groups.find((g) => g.id === groupId);
  return [
    {
      id: 'select-group-nodes',
      label: 'Select its nodes',
      disabled: !group?.nodes.length,
      onPick: () => selectGroupNodes(groupId),
    },
    {
      id: 'group-colour',
      label: 'Colour',
      items: [
        {
          id: 'group-colour-none',
          label: 'None',
          swatch: '',
          checked: group?.color === undefined,
          onPick: () => colourGroup(groupId, undefined),
        },
        ...NODE_TINTS.map(({ name, color }) => ({
          id: `group-colour-${name.toLowerCase()}`,
          label: name,
          swatch: color,
          checked: group?.color === color,
          onPick: () => colourGroup(groupId, color),
        })),
      ],
    },
    {
      id: 'ungroup',
      label: 'Ungroup',
      title: 'Delete the frame; its nodes stay where they are',
      onPick: () => ungroupFrame(groupId),
    },
  ];
}

/** Small and translucent (opaque under the pointer), so it hides little of the graph. */
const MINIMAP_STYLE = { width: 150, height: 96 } as const;

// The canvas re-renders on every drag frame (its node array changes); these don't depend on it.
const CanvasOverlays = memo(function CanvasOverlays() {
  const width = useStore((state) => state.width);
  useEffect(() => editorState.setCanvasWidth(width), [width]);
  const minimapShown = useEditorStore(isMinimapShown);
  useZoomDetail();
  return (
    <>
      <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
      <Controls showInteractive={false} />
      {minimapShown && (
        <MiniMap
          className="canvas-minimap"
          style={MINIMAP_STYLE}
          pannable
          zoomable
          nodeColor={minimapColour}
          ariaLabel="minimap"
        />
      )}
      <TypeLegend />
    </>
  );
});

export function GraphCanvas() {
  const document = useGraphStore((state) => state.document);
  const loads = useGraphStore((state) => state.loads);
  const selectionRequest = useEditorStore((state) => state.selectionRequest);
  const flow = useReactFlow<FlowNode, Edge>();
  const wrapper = useRef<HTMLDivElement>(null);
  /**
   * The pointer over the canvas, in window coordinates: where paste and quick-add place. Turned
   * into canvas coordinates only when asked, since that reads the canvas's bounds, which forces a
   * layout on every pointer move of a drag.
   */
  const pointer = useRef<Position | undefined>(undefined);
  const [nodes, setNodes] = useState<FlowNode[]>(() => syncFlowNodes([], document));
  const [edges, setEdges] = useState<Edge[]>(() => syncFlowEdges([], document));
  const [menu, setMenu] = useState<MenuRequest | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const storeApi = useStoreApi<FlowNode, Edge>();
  /**
   * Mid-drag, positions go straight into React Flow's store (its own uncontrolled drag path)
   * rather than through this component's state: a re-render of the canvas and a second store
   * update per pointer move, for nothing the drag needs. While set, the store's nodes are newer
   * than `nodes`, and the next change that goes through state starts from them.
   */
  const dragInStore = useRef(false);
  /** The store's nodes when a drag has moved them past `nodes` (once), else undefined. */
  const takeDraggedNodes = useCallback((): FlowNode[] | undefined => {
    if (!dragInStore.current) return undefined;
    dragInStore.current = false;
    return storeApi.getState().nodes;
  }, [storeApi]);
  // Framing never makes text smaller than it must: see legible-zoom.ts.
  const fitOptions = useCallback(() => {
    const { width, height } = storeApi.getState();
    return legibleFitOptions(flow.getNodesBounds(flow.getNodes()), { width, height });
  }, [flow, storeApi]);

  // Fold every document change (edits, undo, load) into the canvas; select what commands made.
  useEffect(() => {
    const select = selectionRequest ? selectionIds(selectionRequest) : undefined;
    const dragged = takeDraggedNodes();
    setNodes((current) => syncFlowNodes(dragged ?? current, document, select));
    setEdges((current) => syncFlowEdges(current, document, select));
    if (selectionRequest) useEditorStore.setState({ selectionRequest: null });
  }, [document, selectionRequest, takeDraggedNodes]);

  // A different document: frame it once React Flow has measured its nodes. What the pointer was
  // over (a wire's or port's facts, a menu) belonged to the old one.
  useEffect(() => {
    if (loads === 0) return;
    editorState.setHover(null);
    setMenu(null);
    const timer = setTimeout(() => void flow.fitView(fitOptions()), 50);
    return () => clearTimeout(timer);
  }, [loads, flow, fitOptions]);

  useEffect(() => {
    attachCanvas({
      fitView: () => void flow.fitView({ ...fitOptions(), duration: 200 }),
      viewCentre: () => {
        const box = wrapper.current?.getBoundingClientRect();
        if (!box) return { x: 0, y: 0 };
        return flow.screenToFlowPosition({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
      },
      nodeSizes: () =>
        new Map(
          flow
            .getNodes()
            .filter((node) => node.type === 'card')
            .map((node) => [
              node.id,
              { width: node.measured?.width ?? 230, height: node.measured?.height ?? 160 },
            ]),
        ),
      pointer: () => (pointer.current ? flow.screenToFlowPosition(pointer.current) : undefined),
      itemRects: () => {
        const nodes = new Map<string, Rect>();
        const notes = new Map<string, Rect>();
        for (const node of flow.getNodes()) {
          const rect = {
            ...node.position,
            width: node.measured?.width ?? 230,
            height: node.measured?.height ?? 160,
          };
          const noteId = noteIdOf(node.id);
          if (node.type === 'note' && noteId !== undefined) notes.set(noteId, rect);
          else if (node.type === 'card') nodes.set(node.id, rect);
        }
        return { nodes, notes };
      },
    });
    return () => attachCanvas(undefined);
  }, [flow, fitOptions]);

  // A plain drag of cards and notes is drawn by the painter; a frame's (which moves its members
  // and their wires' bends too) by React Flow.
  const painter = useRef<DragPainter | undefined>(undefined);
  const wireOverlay = useRef<HTMLCanvasElement>(null);
  const onNodeDragStart = useCallback(
    (event: MouseEvent | TouchEvent, node: FlowNode, dragged: FlowNode[]) => {
      hideHover();
      beginDrag(event, node, dragged);
      const container = storeApi.getState().domNode;
      painter.current?.end();
      painter.current =
        container && wireOverlay.current && dragged.every((item) => !groupIdOf(item.id))
          ? DragPainter.begin(
              container,
              wireOverlay.current,
              storeApi.getState(),
              new Set(dragged.map((item) => item.id)),
              () => storeApi.getState().transform,
            )
          : undefined;
    },
    [storeApi],
  );
  // A drag that moved nothing ends without a position change.
  const onNodeDragStop = useCallback(() => {
    painter.current?.end();
    painter.current = undefined;
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const { document: current, edit } = useGraphStore.getState();
      const followers = frameFollowerChanges(changes, current);
      const all = followers.length ? [...changes, ...followers] : changes;
      if (all.every((change) => change.type === 'position' && change.dragging === true)) {
        if (painter.current) {
          const positions = new Map<string, Position>();
          for (const change of all) {
            if (change.type === 'position' && change.position) {
              positions.set(change.id, change.position);
            }
          }
          painter.current.move(positions);
          return;
        }
        const store = storeApi.getState();
        store.setNodes(applyNodeChanges(all, store.nodes));
        dragInStore.current = true;
        return;
      }
      painter.current?.end();
      painter.current = undefined;
      const dragged = takeDraggedNodes();
      setNodes((shown) => applyNodeChanges(all, dragged ?? shown));
      // A finished drag moves every dragged item in one edit, so one undo puts them all back.
      const moved: { nodes: Record<string, Position>; notes: Record<string, Position> } = {
        nodes: {},
        notes: {},
      };
      const frames = new Map<string, Position>();
      const dropped = new Map<string, Rect>();
      for (const change of changes) {
        if (change.type !== 'position' || change.dragging !== false || !change.position) continue;
        const noteId = noteIdOf(change.id);
        const groupId = groupIdOf(change.id);
        if (groupId !== undefined) {
          frames.set(groupId, change.position);
        } else if (noteId) {
          moved.notes[noteId] = change.position;
        } else {
          moved.nodes[change.id] = change.position;
          const size = flow.getNode(change.id)?.measured;
          dropped.set(change.id, {
            ...change.position,
            width: size?.width ?? 230,
            height: size?.height ?? 160,
          });
        }
      }
      if (frames.size) {
        edit((draft) => {
          for (const [groupId, position] of frames) moveGroup(draft, groupId, position);
        });
      }
      const any = dropped.size > 0 || Object.keys(moved.notes).length > 0;
      if (any && !finishCloneDrag(moved)) {
        // Where a card is dropped decides its group: inside a frame it joins it, outside it leaves.
        edit((draft) => {
          moveItems(draft, moved);
          regroupDropped(draft, dropped);
        });
      }
    },
    [flow, storeApi, takeDraggedNodes],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) =>
      setEdges((current) =>
        applyEdgeChanges(
          changes.filter((c) => c.type === 'select'),
          current,
        ),
      ),
    [],
  );

  const onSelectionChange = useCallback(({ nodes, edges }: OnSelectionChangeParams) => {
    const notes: string[] = [];
    const graphNodes: string[] = [];
    for (const node of nodes) {
      const noteId = noteIdOf(node.id);
      if (noteId) notes.push(noteId);
      else graphNodes.push(node.id);
    }
    editorState.setSelection({ nodes: graphNodes, notes, edges: edges.map((edge) => edge.id) });
  }, []);

  const isValidConnection = useCallback<IsValidConnection>((connection) => {
    const ends = connectionEnds(connection as Connection);
    if (!ends) return false;
    return checkNewWire(useGraphStore.getState().document, catalogue, ends.from, ends.to).ok;
  }, []);

  const onConnect = useCallback((connection: Connection) => {
    const ends = connectionEnds(connection);
    if (ends) tryConnect(ends.from, ends.to);
  }, []);

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      const { fromHandle, toHandle } = state;
      if (!fromHandle?.id) return;
      if (toHandle?.id) {
        // Released on a port that refused the wire: say why (a valid one was wired by onConnect).
        if (state.isValid) return;
        const fromIsOutput = fromHandle.type === 'source';
        const here = { node: fromHandle.nodeId, port: fromHandle.id };
        const there = { node: toHandle.nodeId, port: toHandle.id };
        tryConnect(fromIsOutput ? here : there, fromIsOutput ? there : here);
        return;
      }
      const target = event.target as Element | null;
      if (!target?.classList.contains('react-flow__pane')) return;
      const end = wireEndOf(fromHandle.nodeId, fromHandle.id, fromHandle.type);
      if (!end) return;
      const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
      const screen = { x: point.clientX, y: point.clientY };
      editorState.openPalette({
        at: flow.screenToFlowPosition(screen),
        screen,
        wire: { ref: { node: fromHandle.nodeId, port: fromHandle.id }, end },
      });
    },
    [flow],
  );

  const onDrop = useCallback(
    (event: React.DragEvent) => {
      const type = event.dataTransfer.getData(LIBRARY_DRAG_TYPE);
      if (!type) return;
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      if (type === NOTE_ENTRY) addNoteAt(at);
      else addNodeAt(type, at);
    },
    [flow],
  );

  const onDoubleClick = useCallback(
    (event: React.MouseEvent) => {
      if (!(event.target as Element).classList.contains('react-flow__pane')) return;
      const screen = { x: event.clientX, y: event.clientY };
      editorState.openPalette({ at: flow.screenToFlowPosition(screen), screen });
    },
    [flow],
  );

  const onPaneContextMenu = useCallback(
    (event: MouseEvent | React.MouseEvent) => {
      event.preventDefault();
      const screen = { x: event.clientX, y: event.clientY };
      setMenu({ kind: 'pane', screen, at: flow.screenToFlowPosition(screen) });
    },
    [flow],
  );

  const onNodeContextMenu = useCallback(
    (event: React.MouseEvent, node: FlowNode) => {
      event.preventDefault();
      const screen = { x: event.clientX, y: event.clientY };
      const groupId = groupIdOf(node.id);
      if (groupId !== undefined) {
        setMenu({ kind: 'group', screen, groupId });
        return;
      }
      const { selection } = useEditorStore.getState();
      const noteId = noteIdOf(node.id);
      const inSelection = noteId
        ? selection.notes.includes(noteId)
        : selection.nodes.includes(node.id);
      const single: ItemIds = noteId ? { notes: [noteId] } : { nodes: [node.id] };
      // A node outside the selection is what the menu is about: select it, as a click would.
      if (!inSelection) editorState.requestSelection({ ...EMPTY_SELECTION, ...single });
      const many = inSelection && selection.nodes.length + selection.notes.length > 1;
      setMenu({
        kind: 'items',
        screen,
        at: flow.screenToFlowPosition(screen),
        items: many ? { nodes: selection.nodes, notes: selection.notes } : single,
        ...(noteId ? {} : { nodeId: node.id }),
      });
    },
    [flow],
  );

  const onSelectionContextMenu = useCallback(
    (event: React.MouseEvent) => {
      event.preventDefault();
      const screen = { x: event.clientX, y: event.clientY };
      const { selection } = useEditorStore.getState();
      setMenu({
        kind: 'items',
        screen,
        at: flow.screenToFlowPosition(screen),
        items: { nodes: selection.nodes, notes: selection.notes },
      });
    },
    [flow],
  );

  const onEdgeMouseEnter = useCallback((event: React.MouseEvent, edge: Edge) => {
    // With a button held the pointer is dragging a node, the view or a wire over the wires: a
    // card popping up and down under it helps nobody and costs a layout per wire crossed.
    if (event.buttons !== 0) return;
    const fact = useRunStore.getState().portFacts[edge.source]?.[edge.sourceHandle ?? ''];
    editorState.setHover({
      title: `${edge.source}.${edge.sourceHandle} → ${edge.target}.${edge.targetHandle}`,
      lines: [fact ? `last run: ${fact}` : 'run the graph to see what this wire carries'],
      screen: { x: event.clientX, y: event.clientY },
    });
  }, []);

  return (
    <>
      <div
        className="canvas"
        data-testid="canvas"
        ref={wrapper}
        onDragOver={(event) => {
          if (event.dataTransfer.types.includes(LIBRARY_DRAG_TYPE)) {
            event.preventDefault();
            event.dataTransfer.dropEffect = 'copy';
          }
        }}
        onDrop={onDrop}
        onDoubleClick={onDoubleClick}
        onPointerMove={(event) => {
          pointer.current = { x: event.clientX, y: event.clientY };
        }}
        onPointerLeave={() => (pointer.current = undefined)}
        onContextMenu={(event) => event.preventDefault()}
      >
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onNodeDragStart={onNodeDragStart}
          onNodeDragStop={onNodeDragStop}
          onEdgesChange={onEdgesChange}
          onSelectionChange={onSelectionChange}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          onEdgeMouseEnter={onEdgeMouseEnter}
          onEdgeMouseLeave={hideHover}
          onPaneContextMenu={onPaneContextMenu}
          onNodeContextMenu={onNodeContextMenu}
          onSelectionContextMenu={onSelectionContextMenu}
          deleteKeyCode={null}
          panActivationKeyCode={null}
          multiSelectionKeyCode={MULTI_SELECTION_KEYS}
          selectionKeyCode="Shift"
          zoomOnDoubleClick={false}
          fitView
          fitViewOptions={FIT_OPTIONS}
          minZoom={0.1}
          colorMode="dark"
        >
          <CanvasOverlays />
        </ReactFlow>
        <canvas className="drag-wires" ref={wireOverlay} aria-hidden="true" />
        {document.nodes.length === 0 && (document.notes ?? []).length === 0 && <EmptyCanvasHint />}
        {/* Over the canvas, where the edits that cause them happen, clear of the dock's controls. */}
        <Notice />
      </div>
      {menu && (
        <ContextMenu
          // A new right-click opens a fresh menu (first item focused) where it was made.
          key={`${menu.screen.x},${menu.screen.y}`}
          items={
            menu.kind === 'pane'
              ? paneMenu(menu)
              : menu.kind === 'group'
                ? groupMenu(menu.groupId)
                : itemsMenu(menu)
          }
          at={menu.screen}
          label={MENU_LABELS[menu.kind]}
          onClose={closeMenu}
        />
      )}
    </>
  );
}

/** What to do on an empty canvas (a new graph): three ways in, none of them obvious. */
function EmptyCanvasHint() {
  return (
    <div className="empty-canvas-hint" data-testid="empty-canvas-hint">
      <p>An empty graph. To add nodes:</p>
      <ul>
        <li>drag one from the library on the left,</li>
        <li>
          double-click the canvas or press <kbd>Space</kbd> to search for one,
        </li>
        <li>
          or open a ready-made graph with <strong>Presets</strong>.
        </li>
      </ul>
    </div>
  );
}
