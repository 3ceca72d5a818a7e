// What is wrong with a node's params as the graph holds them, param by param: the same schema
// (and cross-field rules) the compiler applies, read at load so a bad value is marked on the card
// before anyone presses Run.
import type { AnyNodeDefinition } from '../../graph-nodes';

/** Each invalid param's complaint, in the order the schema reports them. */
export function paramProblems(
  definition: AnyNodeDefinition | undefined,
  params: Readonly<Record<string, unknown>>,
): ReadonlyMap<string, string> {
  const problems = new Map<string, string>();
  if (!definition) return problems;
  const result = definition.params.safeParse(params);
  if (result.success) return problems;
  for (const issue of result.error.issues) {
    const [name, ...rest] = issue.path;
    const key = typeof name === 'string' ? name : '(params)';
    const where = rest.length ? `${rest.join('.')}: ` : '';
    if (!problems.has(key)) problems.set(key, where + issue.message);
  }
  return problems;
}
