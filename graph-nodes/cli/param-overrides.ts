// --set NODE.PARAM=VALUE → an edited graph document. The engine validates the value against the
// param's schema; here we only decide how to read the text and where a file path points.
import { resolve } from 'node:path';
import { applyParamOverride, parseParamValue } from '../index';
import type { Catalogue } from '../core/catalogue';
import type { GraphDocument } from '../core/document';
import type { AnyNodeDefinition } from '../core/node-definition';
import { ownValue } from '../core/own';
import { findUiHints } from '../core/param-hints';
import type { TargetAssignment } from './arguments';

/**
 * Applies every --set in order. A file param given on the command line is made absolute against
 * `cwd`, because the user typed it relative to where they stand, not to the graph file; those
 * paths are the user's choice (`chosenFiles`), so they may lie outside the graph's folder.
 */
export function applyCommandLineOverrides(
  graph: GraphDocument,
  catalogue: Catalogue,
  sets: readonly TargetAssignment[],
  options: { cwd: string; file?: string },
): { graph: GraphDocument; chosenFiles: Set<string> } {
  const chosenFiles = new Set<string>();
  let current = graph;
  for (const assignment of sets) {
    const node = current.nodes.find((candidate) => candidate.id === assignment.nodeId);
    const definition = node && catalogue.get(node.type);
    let value = parseParamValue(assignment.value);
    if (definition && isFileParam(definition, assignment.name)) {
      value = resolve(options.cwd, typeof value === 'string' ? value : assignment.value);
      chosenFiles.add(value as string);
    }
    current = applyParamOverride(
      current,
      `${assignment.nodeId}.${assignment.name}`,
      value,
      options.file,
    );
  }
  return { graph: current, chosenFiles };
}

export function isFileParam(definition: AnyNodeDefinition, param: string): boolean {
  const schema = ownValue(definition.params.shape, param);
  return schema !== undefined && findUiHints(schema)?.widget === 'file';
}
