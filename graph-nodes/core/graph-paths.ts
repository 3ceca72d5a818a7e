// Paths written inside a graph file are relative to the graph's folder and stay in it: judged here
// on their text (absolute, `..` out of the folder), before anything runs. Symlinks are the file
// host's to follow and confine at run time (runtime/confined-files.ts, the app's main process).
import { findUiHints } from './param-hints';
import type { AnyNodeDefinition, ParamUiHints } from './node-definition';

export type PathAccess = NonNullable<ParamUiHints['access']>;

/** Why a path written in a graph may not be used, or undefined when it stays in its folder. */
export function graphPathProblem(path: string): string | undefined {
  if (path.includes('\0')) return 'it contains a NUL character';
  if (/^(?:[A-Za-z]:|[\\/]|~)/.test(path)) {
    return "it is absolute; paths in a graph are relative to the graph's folder";
  }
  let depth = 0;
  for (const part of path.split(/[\\/]+/)) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return "it leads out of the graph's folder";
  }
  return undefined;
}

/** The node's params that name files, with how the node uses each. */
export function fileParams(
  definition: AnyNodeDefinition,
): { readonly name: string; readonly access: PathAccess }[] {
  const found: { name: string; access: PathAccess }[] = [];
  for (const [name, schema] of Object.entries(definition.params.shape)) {
    const hints = findUiHints(schema as never);
    if (hints?.widget === 'file') found.push({ name, access: hints.access ?? 'read' });
  }
  return found;
}
