// Graph document → React Flow nodes and edges. Port facts come from the catalogue; a node whose
// type is unknown still appears (in red) with the ports its edges name, so nothing silently vanishes.
import type { Edge, Node } from '@xyflow/react';
import {
  catalogue,
  type AnyNodeDefinition,
  type GraphDocument,
  type NodeInstance,
  type ValueType,
} from '../../graph-nodes';
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

export type NodeCardNode = Node<NodeCardData, 'card'>;

function portsOf(
  instance: NodeInstance,
  document: GraphDocument,
  definition: AnyNodeDefinition | undefined,
) {
  if (definition) {
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
  const named = (ports: string[]) =>
    [...new Set(ports)].map((name) => ({
      name,
      types: [],
      required: false,
      description: 'unknown port',
    }));
  return {
    inputs: named(document.edges.filter((e) => e.to.node === instance.id).map((e) => e.to.port)),
    outputs: named(
      document.edges.filter((e) => e.from.node === instance.id).map((e) => e.from.port),
    ),
  };
}

export function toFlowNodes(document: GraphDocument): NodeCardNode[] {
  return document.nodes.map((instance) => {
    const definition = catalogue.get(instance.type);
    return {
      id: instance.id,
      type: 'card',
      position: instance.position,
      data: { instance, definition, ...portsOf(instance, document, definition) },
    };
  });
}

export function toFlowEdges(document: GraphDocument): Edge[] {
  return document.edges.map((edge) => {
    const sourceType = catalogue.get(
      document.nodes.find((n) => n.id === edge.from.node)?.type ?? '',
    )?.outputs[edge.from.port]?.type;
    const colour = sourceType ? VALUE_TYPE_COLOURS[sourceType] : '#888';
    return {
      id: `${edge.from.node}.${edge.from.port}->${edge.to.node}.${edge.to.port}`,
      source: edge.from.node,
      sourceHandle: edge.from.port,
      target: edge.to.node,
      targetHandle: edge.to.port,
      style: { stroke: colour, strokeWidth: 2 },
    };
  });
}
