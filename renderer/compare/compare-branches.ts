// Which solvers a Compare node puts side by side: the nodes wired into its trajectory inputs, in
// input order, with the titles their panels and rows carry.
import { catalogue, type GraphDocument } from '../../graph-nodes';

export interface CompareBranch {
  /** The Compare node's input ("trajectory_2"). */
  readonly port: string;
  /** The solver feeding it. */
  readonly nodeId: string;
  readonly title: string;
}

export function compareNodes(document: GraphDocument) {
  return document.nodes.filter((node) => node.type === 'compare');
}

export function compareBranches(document: GraphDocument, compareId: string): CompareBranch[] {
  const inputs = Object.keys(catalogue.get('compare')?.inputs ?? {}).filter((port) =>
    port.startsWith('trajectory_'),
  );
  const branches: CompareBranch[] = [];
  for (const port of inputs) {
    const edge = document.edges.find((e) => e.to.node === compareId && e.to.port === port);
    if (!edge) continue;
    const node = document.nodes.find((candidate) => candidate.id === edge.from.node);
    const algorithm = node?.params['algorithm'];
    const named = typeof algorithm === 'string' && algorithm !== edge.from.node;
    const title = node?.title ?? (named ? `${edge.from.node} (${algorithm})` : edge.from.node);
    branches.push({ port, nodeId: edge.from.node, title });
  }
  return branches;
}
