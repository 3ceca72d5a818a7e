// `--set NODE.PARAM=VALUE`: a param change applied to a document before it is compiled.
import type { GraphDocument } from './document';
import { GraphError } from './errors';

/** Returns a copy of `document` with one param set; the compiler validates the value. */
export function applyParamOverride(
  graph: GraphDocument,
  target: string,
  value: unknown,
  file?: string,
): GraphDocument {
  const dot = target.indexOf('.');
  const nodeId = dot > 0 ? target.slice(0, dot) : '';
  const param = dot > 0 ? target.slice(dot + 1) : '';
  if (!nodeId || !param) {
    throw new GraphError([
      {
        code: 'unknown-param',
        file,
        message: `"${target}" must name a node and a param as NODE.PARAM (e.g. solver.algorithm)`,
      },
    ]);
  }
  if (!graph.nodes.some((node) => node.id === nodeId)) {
    throw new GraphError([
      {
        code: 'unknown-node',
        file,
        nodeId,
        message: `there is no node "${nodeId}" in this graph; its nodes are ${graph.nodes.map((n) => `"${n.id}"`).join(', ')}`,
      },
    ]);
  }
  return {
    ...graph,
    nodes: graph.nodes.map((node) =>
      node.id === nodeId ? { ...node, params: { ...node.params, [param]: value } } : node,
    ),
  };
}
