// Finding node types by what the user types: a fuzzy match on titles and type ids, and the
// filter that keeps only the nodes able to take a wire dropped on empty canvas.
import type { AnyNodeDefinition, ValueType } from '../../graph-nodes';

/**
 * Scores `text` against `query` when the query's characters appear in it in order (case-
 * insensitive); null when they do not. Runs of consecutive characters and matches at word starts
 * score higher, so "kt" ranks "Karras timesteps" above "takes".
 */
export function fuzzyScore(query: string, text: string): number | null {
  const needle = query.toLowerCase().replace(/\s+/g, '');
  if (needle === '') return 0;
  const haystack = text.toLowerCase();
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const character of needle) {
    const at = haystack.indexOf(character, from);
    if (at < 0) return null;
    const wordStart = at === 0 || /[\s\-_.(]/.test(haystack[at - 1]!);
    score += 1 + (at === previous + 1 ? 3 : 0) + (wordStart ? 2 : 0);
    previous = at;
    from = at + 1;
  }
  // Prefer short texts: the same match in a shorter title is a closer one.
  return score - haystack.length * 0.01;
}

function bestScore(query: string, definition: AnyNodeDefinition): number | null {
  const scores = [definition.title, definition.type, definition.kind]
    .map((text) => fuzzyScore(query, text))
    .filter((score): score is number => score !== null);
  return scores.length ? Math.max(...scores) : null;
}

/** The definitions matching the query, best first (catalogue order when the query is empty). */
export function searchNodes(
  definitions: readonly AnyNodeDefinition[],
  query: string,
): AnyNodeDefinition[] {
  if (query.trim() === '') return [...definitions];
  return definitions
    .map((definition, order) => ({ definition, order, score: bestScore(query, definition) }))
    .filter((entry): entry is typeof entry & { score: number } => entry.score !== null)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map((entry) => entry.definition);
}

/** The loose end of a wire being dragged: an output offering a type, or an input wanting some. */
export type WireEnd =
  | { readonly side: 'output'; readonly type: ValueType }
  | { readonly side: 'input'; readonly accepts: readonly ValueType[] };

export interface PortChoice {
  readonly definition: AnyNodeDefinition;
  /** The port on the new node that the wire connects to. */
  readonly port: string;
}

/** Node types with a port that can take the wire, each with the port to use (required first). */
export function nodesForWire(
  definitions: readonly AnyNodeDefinition[],
  end: WireEnd,
): PortChoice[] {
  const choices: PortChoice[] = [];
  for (const definition of definitions) {
    if (end.side === 'output') {
      const inputs = Object.entries(definition.inputs).filter(([, spec]) =>
        spec.accepts.includes(end.type),
      );
      const chosen = inputs.find(([, spec]) => spec.required) ?? inputs[0];
      if (chosen) choices.push({ definition, port: chosen[0] });
    } else {
      const output = Object.entries(definition.outputs).find(([, spec]) =>
        end.accepts.includes(spec.type),
      );
      if (output) choices.push({ definition, port: output[0] });
    }
  }
  return choices;
}

/** Library sections: kinds in catalogue order, each with its node types. */
export function groupByKind(
  definitions: readonly AnyNodeDefinition[],
): { kind: AnyNodeDefinition['kind']; definitions: AnyNodeDefinition[] }[] {
  const groups = new Map<AnyNodeDefinition['kind'], AnyNodeDefinition[]>();
  for (const definition of definitions) {
    const group = groups.get(definition.kind);
    if (group) group.push(definition);
    else groups.set(definition.kind, [definition]);
  }
  return [...groups].map(([kind, members]) => ({ kind, definitions: members }));
}
