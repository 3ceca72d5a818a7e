// What no legitimate graph needs, refused before anything else looks at a file: the limits keep a
// hostile file from exhausting memory or the stack (JSON.stringify, hashing and structured clone
// recurse), and keys that name JavaScript's object machinery never reach an object.
import { RESERVED_NAMES } from './own';

export const GRAPH_LIMITS = {
  /** Characters of graph text (a graph with weights inlined is still far below). */
  textLength: 64 * 1024 * 1024,
  /** Nesting of arrays and objects, anywhere in the file (means are depth 4). */
  depth: 32,
  /** Characters in any one string (a note, a description, a path). */
  stringLength: 100_000,
  nodes: 50_000,
  edges: 200_000,
  notes: 10_000,
  groups: 10_000,
} as const;

export interface JsonProblem {
  /** Where in the file, e.g. ["nodes", 3, "params", "means"]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const MAX_PROBLEMS = 20;

/**
 * Walks a parsed JSON value (iteratively: no recursion a deep file could overflow) and lists what
 * breaks GRAPH_LIMITS or uses a reserved key, at most MAX_PROBLEMS of them.
 */
export function untrustedJsonProblems(root: unknown): JsonProblem[] {
  const problems: JsonProblem[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length && problems.length < MAX_PROBLEMS) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.length > GRAPH_LIMITS.stringLength) {
        problems.push({
          path,
          message: `a string of ${value.length} characters; at most ${GRAPH_LIMITS.stringLength} are allowed`,
        });
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= GRAPH_LIMITS.depth) {
      problems.push({
        path,
        message: `nested more than ${GRAPH_LIMITS.depth} levels deep; no graph needs that`,
      });
      continue;
    }
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) {
        stack.push({ value: value[index], path: [...path, index] });
      }
      continue;
    }
    for (const key of Object.keys(value)) {
      if (RESERVED_NAMES.has(key)) {
        problems.push({
          path: [...path, key],
          message: `"${key}" is a reserved name and cannot be a key in a graph file`,
        });
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return problems;
}

/** Too many nodes, edges, notes or groups, said with the limit. */
export function graphSizeProblems(graph: Record<string, unknown>): JsonProblem[] {
  const problems: JsonProblem[] = [];
  for (const field of ['nodes', 'edges', 'notes', 'groups'] as const) {
    const list = graph[field];
    if (Array.isArray(list) && list.length > GRAPH_LIMITS[field]) {
      problems.push({
        path: [field],
        message: `${list.length} ${field}; a graph may have at most ${GRAPH_LIMITS[field]}`,
      });
    }
  }
  return problems;
}
