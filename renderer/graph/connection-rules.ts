// Whether the editor may add a wire, and if not, the reason to show. The type rule is the
// compiler's own (checkConnection); the editor adds the rules a finished graph needs anyway.
import {
  checkConnection,
  type Catalogue,
  type GraphDocument,
  type PortRef,
} from '../../graph-nodes';
import { wouldCreateCycle } from '../../graph-nodes/core/graph-edits';

export type WireVerdict = { ok: true } | { ok: false; reason: string };

export function checkNewWire(
  document: GraphDocument,
  catalogue: Catalogue,
  from: PortRef,
  to: PortRef,
): WireVerdict {
  const fromNode = document.nodes.find((node) => node.id === from.node);
  const toNode = document.nodes.find((node) => node.id === to.node);
  if (!fromNode || !toNode) return { ok: false, reason: 'that node is no longer in the graph' };
  for (const node of [fromNode, toNode]) {
    if (!catalogue.get(node.type)) {
      return {
        ok: false,
        reason: `"${node.id}" is a missing node (type "${node.type}" is not in this catalogue); its wires cannot change`,
      };
    }
  }
  const check = checkConnection(
    { definition: catalogue.get(fromNode.type)!, nodeId: from.node, port: from.port },
    { definition: catalogue.get(toNode.type)!, nodeId: to.node, port: to.port },
  );
  if (!check.ok) return { ok: false, reason: check.message };
  if (from.node === to.node) return { ok: false, reason: 'a node cannot feed its own input' };
  if (wouldCreateCycle(document, from, to)) {
    return {
      ok: false,
      reason: `cannot connect ${from.node}.${from.port} to ${to.node}.${to.port}: "${to.node}" already feeds "${from.node}", so the wire would make a cycle`,
    };
  }
  const exists = document.edges.some(
    (edge) =>
      edge.from.node === from.node &&
      edge.from.port === from.port &&
      edge.to.node === to.node &&
      edge.to.port === to.port,
  );
  if (exists) return { ok: false, reason: 'these ports are already connected' };
  return { ok: true };
}
