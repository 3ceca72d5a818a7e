// Graph document → React Flow nodes and edges. Port facts come from the catalogue; a node whose
// type is unknown is drawn as a "missing node" with the ports its wires name, so nothing silently
// vanishes. Unchanged document items keep their React Flow objects, so React skips them.
import { ownValue } from '../../graph-nodes/core/own';
import type { Edge, Node } from '@xyflow/react';
import {
  catalogue,
  type AnyNodeDefinition,
  type Edge as GraphEdge,
  type GraphDocument,
  type Group,
  type NodeInstance,
  type Note,
  type ValueType,
} from '../../graph-nodes';
import { edgeKey } from '../graph/document-edits';
import { VALUE_TYPE_COLOURS } from './palette';

export interface PortView {
  readonly name: string;
  readonly types: readonly ValueType[];
  readonly required: boolean;
  readonly description: string;
}

export interface NodeCardData extends Record<string, unknown> {
  readonly instance: NodeInstance;
  readonly definition: AnyNodeDefinition | undefined;
  readonly inputs: readonly PortView[];
  readonly outputs: readonly PortView[];
}

export interface NoteData extends Record<string, unknown> {
  readonly note: Note;
}

export interface GroupFrameData extends Record<string, unknown> {
  readonly group: Group;
}

export type NodeCardNode = Node<NodeCardData, 'card'>;
export type NoteNode = Node<NoteData, 'note'>;
export type GroupFrameNode = Node<GroupFrameData, 'group-frame'>;
export type FlowNode = NodeCardNode | NoteNode | GroupFrameNode;

/** Notes share React Flow's id space with nodes; the prefix keeps them apart. */
export const NOTE_PREFIX = 'note:';
export const DEFAULT_NOTE_SIZE = { width: 220, height: 120 };

export function noteFlowId(noteId: string): string {
  return NOTE_PREFIX + noteId;
}

/** The note id behind a React Flow id, or undefined for a graph node. */
export function noteIdOf(flowId: string): string | undefined {
  return flowId.startsWith(NOTE_PREFIX) ? flowId.slice(NOTE_PREFIX.length) : undefined;
}

/** Group frames too; node and note ids cannot hold ':', so no prefix can be mistaken. */
export const GROUP_PREFIX = 'group:';
/** What starts a frame's drag: its title bar only, so the frame's inside stays canvas. */
export const GROUP_DRAG_HANDLE = '.group-frame-title';

export function groupFlowId(groupId: string): string {
  return GROUP_PREFIX + groupId;
}

/** The group id behind a React Flow id, or undefined for anything else. */
export function groupIdOf(flowId: string): string | undefined {
  return flowId.startsWith(GROUP_PREFIX) ? flowId.slice(GROUP_PREFIX.length) : undefined;
}

// Frames take no pointer events but through their title bar: a click, drag or right-click
// inside one reaches the canvas (box selection, panning, the canvas menu) as if it were not there.
const GROUP_FRAME_STYLE = { pointerEvents: 'none' } as const;

function groupFrameNodes(previous: ReadonlyMap<string, FlowNode>, document: GraphDocument) {
  return document.groups.map((group): FlowNode => {
    const id = groupFlowId(group.id);
    const old = previous.get(id);
    if (old?.type === 'group-frame' && old.data.group === group) return old;
    return {
      ...old,
      id,
      type: 'group-frame',
      position: group.position,
      data: { group },
      width: group.size.width,
      height: group.size.height,
      style: GROUP_FRAME_STYLE,
      dragHandle: GROUP_DRAG_HANDLE,
      selectable: false,
      focusable: false,
      // Frames sit under the notes and nodes they hold.
      zIndex: -2,
    };
  });
}

function definedPorts(definition: AnyNodeDefinition) {
  return {
    inputs: Object.entries(definition.inputs).map(([name, spec]) => ({
      name,
      types: spec.accepts,
      required: spec.required,
      description: spec.description,
    })),
    outputs: Object.entries(definition.outputs).map(([name, spec]) => ({
      name,
      types: [spec.type],
      required: false,
      description: spec.description,
    })),
  };
}

function portsNamedByEdges(instance: NodeInstance, edges: readonly GraphEdge[]) {
  const named = (ports: string[]) =>
    [...new Set(ports)].map((name) => ({
      name,
      types: [],
      required: false,
      description: 'a port of the missing node type',
    }));
  return {
    inputs: named(edges.filter((e) => e.to.node === instance.id).map((e) => e.to.port)),
    outputs: named(edges.filter((e) => e.from.node === instance.id).map((e) => e.from.port)),
  };
}

// Known node types' card data depends only on the instance, which immer keeps when untouched.
const cardDataCache = new WeakMap<NodeInstance, NodeCardData>();

function cardData(instance: NodeInstance, document: GraphDocument): NodeCardData {
  const cached = cardDataCache.get(instance);
  if (cached) return cached;
  const definition = catalogue.get(instance.type);
  if (!definition) return { instance, definition, ...portsNamedByEdges(instance, document.edges) };
  const data = { instance, definition, ...definedPorts(definition) };
  cardDataCache.set(instance, data);
  return data;
}

function sameCardData(a: NodeCardData, b: NodeCardData): boolean {
  return (
    a.instance === b.instance ||
    (a.definition === undefined &&
      b.definition === undefined &&
      JSON.stringify([a.instance, a.inputs, a.outputs]) ===
        JSON.stringify([b.instance, b.inputs, b.outputs]))
  );
}

/**
 * The React Flow nodes for a document, reusing `previous` objects whose item is unchanged and
 * keeping their selection and measured size. `select`, when given, replaces the selection.
 */
export function syncFlowNodes(
  previous: readonly FlowNode[],
  document: GraphDocument,
  select?: ReadonlySet<string>,
): FlowNode[] {
  const before = new Map(previous.map((node) => [node.id, node]));
  const selectedNow = (id: string, old: FlowNode | undefined) =>
    select ? select.has(id) : (old?.selected ?? false);
  const nodes: FlowNode[] = groupFrameNodes(before, document);
  for (const instance of document.nodes) {
    const old = before.get(instance.id);
    const data = cardData(instance, document);
    const selected = selectedNow(instance.id, old);
    if (
      old?.type === 'card' &&
      sameCardData(old.data, data) &&
      old.position.x === instance.position.x &&
      old.position.y === instance.position.y &&
      (old.selected ?? false) === selected
    ) {
      nodes.push(old);
      continue;
    }
    nodes.push({
      ...old,
      id: instance.id,
      type: 'card',
      position: instance.position,
      data,
      selected,
    });
  }
  for (const note of document.notes ?? []) {
    const id = noteFlowId(note.id);
    const old = before.get(id);
    const selected = selectedNow(id, old);
    if (old?.type === 'note' && old.data.note === note && (old.selected ?? false) === selected) {
      nodes.push(old);
      continue;
    }
    const size = note.size ?? DEFAULT_NOTE_SIZE;
    nodes.push({
      ...old,
      id,
      type: 'note',
      position: note.position,
      data: { note },
      selected,
      width: size.width,
      height: size.height,
      // Notes sit under the nodes they comment on.
      zIndex: -1,
    });
  }
  return nodes;
}

function wireColour(document: GraphDocument, edge: GraphEdge): string {
  const definition = catalogue.get(document.nodes.find((n) => n.id === edge.from.node)?.type ?? '');
  const type = definition && ownValue(definition.outputs, edge.from.port)?.type;
  return type ? VALUE_TYPE_COLOURS[type] : '#888';
}

export function syncFlowEdges(
  previous: readonly Edge[],
  document: GraphDocument,
  select?: ReadonlySet<string>,
): Edge[] {
  const before = new Map(previous.map((edge) => [edge.id, edge]));
  return document.edges.map((edge) => {
    const id = edgeKey(edge);
    const old = before.get(id);
    const selected = select ? select.has(id) : (old?.selected ?? false);
    if (old && (old.selected ?? false) === selected && old.data?.['via'] === edge.via) return old;
    const colour = wireColour(document, edge);
    return {
      id,
      type: 'wire',
      source: edge.from.node,
      sourceHandle: edge.from.port,
      target: edge.to.node,
      targetHandle: edge.to.port,
      selected,
      style: { stroke: colour, strokeWidth: 2 },
      data: { colour, via: edge.via },
    };
  });
}
