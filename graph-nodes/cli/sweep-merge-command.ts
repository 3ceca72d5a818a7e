// `principia sweep merge DIR`: the point files that `principia sweep --shard K/N --out DIR` wrote,
// checked (every point exactly once, one graph, one grid, one set of versions) and printed exactly
// as the sweep in one process would print them. Nothing is printed on stdout unless the files make
// one whole sweep; each problem is named on stderr with its file, and each missing shard with the
// command that runs it again.
import { resolve } from 'node:path';
import { sweepResultOf } from '../compare/sweep';
import type { SweepMergeRequest } from './arguments';
import type { CommandOutput } from './command-output';
import { EXIT_BAD_INPUT } from './exit-codes';
import { mergePointFolder, printable } from './sweep-points';
import { printSweepResult } from './sweep-report';

export async function sweepMergeCommand(
  request: SweepMergeRequest,
  output: CommandOutput,
): Promise<number> {
  const outcome = await mergePointFolder(resolve(request.folder), request.folder);
  if (!outcome.ok) {
    for (const problem of outcome.problems) output.stderr(`error: ${printable(problem)}\n`);
    return EXIT_BAD_INPUT;
  }
  const { identity, points, rerun } = outcome.merged;
  const result = sweepResultOf(
    {
      axes: identity.sweep.axes,
      measureNode: identity.sweep.measure,
      solverNode: identity.sweep.solver,
    },
    points,
    false,
  );
  const code = printSweepResult(result, request.format, {
    stdout: output.stdout,
    stderr: (text) => output.stderr(printable(text)),
  });
  const failedShards = [
    ...new Set(points.flatMap((point, index) => (point.ok ? [] : [index % identity.shards]))),
  ];
  for (const shard of failedShards) {
    output.stderr(
      `shard ${shard}/${identity.shards} had failed points; once fixed, run it again with:\n    ${printable(rerun(shard))}\n`,
    );
  }
  return code;
}
