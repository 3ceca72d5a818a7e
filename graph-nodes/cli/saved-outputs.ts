// --save NODE.PORT=FILE: checked against the plan before anything runs, written after the run.
import { resolve } from 'node:path';
import { NPY_VALUE_TYPES, valueToNpy } from '../core/samples';
import { GraphError } from '../core/errors';
import type { Plan } from '../core/compile';
import type { FileHost } from '../core/node-definition';
import type { Coupling, Dataset, Samples, Trajectory, ValueType } from '../core/values';
import type { TargetAssignment } from './arguments';

export interface SaveTarget {
  readonly nodeId: string;
  readonly port: string;
  /** Absolute path; relative paths on the command line resolve against the current directory. */
  readonly file: string;
}

export interface SavedOutput extends SaveTarget {
  readonly bytes: number;
}

/** Throws GraphError naming the node or port when a --save target does not exist or cannot be saved. */
export function resolveSaveTargets(
  plan: Plan,
  saves: readonly TargetAssignment[],
  options: { cwd: string; file?: string },
): SaveTarget[] {
  return saves.map((save) => {
    const where = { file: options.file, nodeId: save.nodeId };
    const planned = plan.nodes.get(save.nodeId);
    if (!planned) {
      throw new GraphError([
        {
          ...where,
          code: 'unknown-node',
          message: `--save ${save.text}: the graph has no node "${save.nodeId}"; its nodes are ${quoteList([...plan.nodes.keys()])}`,
        },
      ]);
    }
    const outputs = planned.definition.outputs;
    const output = outputs[save.name];
    if (!output) {
      throw new GraphError([
        {
          ...where,
          code: 'unknown-port',
          port: save.name,
          message: `--save ${save.text}: "${planned.definition.type}" has no output "${save.name}"; its outputs are ${quoteList(Object.keys(outputs))}`,
        },
      ]);
    }
    if (!(NPY_VALUE_TYPES as readonly ValueType[]).includes(output.type)) {
      throw new GraphError([
        {
          ...where,
          code: 'type-mismatch',
          port: save.name,
          message: `--save ${save.text}: this output carries ${output.type}, which cannot be written as .npy (only ${NPY_VALUE_TYPES.join(', ')} can)`,
        },
      ]);
    }
    if (!save.value) {
      throw new GraphError([
        {
          ...where,
          code: 'unknown-port',
          port: save.name,
          message: `--save ${save.text}: give a file name after "="`,
        },
      ]);
    }
    return { nodeId: save.nodeId, port: save.name, file: resolve(options.cwd, save.value) };
  });
}

/** Writes each target's value; `readOutput` is the executor's view of its cache. */
export async function writeSavedOutputs(
  targets: readonly SaveTarget[],
  readOutput: (nodeId: string, port: string) => unknown,
  files: FileHost,
): Promise<SavedOutput[]> {
  const saved: SavedOutput[] = [];
  for (const target of targets) {
    const value = readOutput(target.nodeId, target.port);
    if (value === undefined) {
      throw new Error(`node "${target.nodeId}" produced no value on output "${target.port}"`);
    }
    const bytes = await valueToNpy(value as Samples | Dataset | Trajectory | Coupling);
    await files.write(target.file, bytes);
    saved.push({ ...target, bytes: bytes.byteLength });
  }
  return saved;
}

function quoteList(names: readonly string[]): string {
  return names.length ? names.map((name) => `"${name}"`).join(', ') : 'none';
}
