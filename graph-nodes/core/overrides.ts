// `--set NODE.PARAM=VALUE`: a param change applied to a document before it is compiled.
import type { GraphDocument } from './document';
import { GraphError } from './errors';

/** Returns a copy of `graph` with one param set; the compiler validates the value. */
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

/** JSON when it parses (numbers, booleans, arrays, quoted strings), else the text as typed. */
export function parseParamValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A list of values as typed ("euler, heun" or "[1,2],[3,4]"): split at commas outside brackets and quotes. */
export function splitValueList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && (char === '[' || char === '{')) depth++;
    else if (!quoted && (char === ']' || char === '}')) depth--;
    else if (!quoted && depth === 0 && char === ',') {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}
