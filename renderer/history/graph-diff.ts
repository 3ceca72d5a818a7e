// What changed in what a graph computes between two runs: nodes added or removed, a node's type,
// params (compared with their defaults filled in, so writing out a default is no change), bypass
// and wires. Layout (positions, colours, notes, groups) never changes a result and is left out.
import { catalogue, type GraphDocument, type NodeInstance } from '../../graph-nodes';
import { formatParamValue } from '../canvas/format-param';

export type GraphChange =
  | { readonly kind: 'node-added'; readonly nodeId: string; readonly nodeType: string }
  | { readonly kind: 'node-removed'; readonly nodeId: string; readonly nodeType: string }
  | {
      readonly kind: 'node-type';
      readonly nodeId: string;
      readonly before: string;
      readonly after: string;
    }
  | {
      readonly kind: 'param';
      readonly nodeId: string;
      readonly param: string;
      readonly before: unknown;
      readonly after: unknown;
    }
  | { readonly kind: 'bypass'; readonly nodeId: string; readonly bypassed: boolean }
  | { readonly kind: 'wire-added' | 'wire-removed'; readonly from: string; readonly to: string };

/** A node's params with its type's defaults filled in; as written when they do not validate. */
function resolvedParams(node: NodeInstance): Readonly<Record<string, unknown>> {
  const parsed = catalogue.get(node.type)?.params.safeParse(node.params);
  return parsed?.success ? (parsed.data as Record<string, unknown>) : node.params;
}

/** Params are JSON, so equal text is equal value. */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function paramChanges(before: NodeInstance, after: NodeInstance): GraphChange[] {
  // Edits replace only the params they touch: the same object means nothing changed.
  if (before.params === after.params) return [];
  const old = resolvedParams(before);
  const next = resolvedParams(after);
  const names = [...new Set([...Object.keys(old), ...Object.keys(next)])];
  return names
    .filter((param) => !sameValue(old[param], next[param]))
    .map((param) => ({
      kind: 'param',
      nodeId: after.id,
      param,
      before: old[param],
      after: next[param],
    }));
}

function wireKey(edge: GraphDocument['edges'][number]): [from: string, to: string] {
  return [`${edge.from.node}.${edge.from.port}`, `${edge.to.node}.${edge.to.port}`];
}

/** Every change in what `after` computes against `before`, removals first, wires last. */
export function diffGraphs(before: GraphDocument, after: GraphDocument): GraphChange[] {
  const oldNodes = new Map(before.nodes.map((node) => [node.id, node]));
  const newNodes = new Map(after.nodes.map((node) => [node.id, node]));
  const changes: GraphChange[] = [];
  for (const node of before.nodes) {
    if (!newNodes.has(node.id))
      changes.push({ kind: 'node-removed', nodeId: node.id, nodeType: node.type });
  }
  for (const node of after.nodes) {
    const old = oldNodes.get(node.id);
    if (!old) {
      changes.push({ kind: 'node-added', nodeId: node.id, nodeType: node.type });
    } else if (old.type !== node.type) {
      changes.push({ kind: 'node-type', nodeId: node.id, before: old.type, after: node.type });
    } else {
      changes.push(...paramChanges(old, node));
      if ((old.bypass ?? false) !== (node.bypass ?? false))
        changes.push({ kind: 'bypass', nodeId: node.id, bypassed: node.bypass ?? false });
    }
  }
  // Wires of an added or removed node come and go with it; saying so again is noise.
  const bothHave = (from: string, to: string) =>
    [from, to].every((end) => {
      const id = end.slice(0, end.lastIndexOf('.'));
      return oldNodes.has(id) && newNodes.has(id);
    });
  const oldWires = new Set(before.edges.map((edge) => wireKey(edge).join('\n')));
  const newWires = new Set(after.edges.map((edge) => wireKey(edge).join('\n')));
  for (const edge of before.edges) {
    const [from, to] = wireKey(edge);
    if (!newWires.has(`${from}\n${to}`) && bothHave(from, to))
      changes.push({ kind: 'wire-removed', from, to });
  }
  for (const edge of after.edges) {
    const [from, to] = wireKey(edge);
    if (!oldWires.has(`${from}\n${to}`) && bothHave(from, to))
      changes.push({ kind: 'wire-added', from, to });
  }
  return changes;
}

/** One change in a few words: "timesteps.steps 20 → 40", "+ node heun2 (solver)". */
export function describeChange(change: GraphChange): string {
  switch (change.kind) {
    case 'node-added':
      return `+ node ${change.nodeId} (${change.nodeType})`;
    case 'node-removed':
      return `− node ${change.nodeId} (${change.nodeType})`;
    case 'node-type':
      return `${change.nodeId}: ${change.before} → ${change.after}`;
    case 'param': {
      const name = `${change.nodeId}.${change.param}`;
      const before = formatParamValue(change.before);
      const after = formatParamValue(change.after);
      // Arrays read as their shape: two of the same shape differ inside.
      return before === after ? `${name} changed (${after})` : `${name} ${before} → ${after}`;
    }
    case 'bypass':
      return change.bypassed ? `${change.nodeId} bypassed` : `${change.nodeId} no longer bypassed`;
    case 'wire-added':
      return `+ wire ${change.from} → ${change.to}`;
    case 'wire-removed':
      return `− wire ${change.from} → ${change.to}`;
  }
}
