// `principia run`: load → apply --set → compile → check --save → run → save → report.
import { catalogue, compileGraph, parseGraphText } from '../index';
import { probePlanFacts } from '../core/facts';
import { GRAPH_LIMITS } from '../core/graph-limits';
import { readRegularFile } from '../runtime/confined-files';
import { nodeFileHost } from '../runtime/node-files';
import type { RunRequest } from './arguments';
import type { CommandOutput } from './command-output';
import { withEngine } from './engine-session';
import { EXIT_CANCELLED, EXIT_OK, EXIT_RUNTIME_FAILURE } from './exit-codes';
import { graphFilePolicy } from './file-policy';
import { applyCommandLineOverrides } from './param-overrides';
import { formatRunReportJson, formatRunReportText, type RunReport } from './run-report';
import { resolveSaveTargets, writeSavedOutputs, type SavedOutput } from './saved-outputs';
import { UsageError } from './usage';

/** Returns the exit code. Bad input is thrown (GraphError, UsageError) before anything runs. */
export async function runCommand(request: RunRequest, output: CommandOutput): Promise<number> {
  const cwd = process.cwd();
  // Messages name the graph file as the user typed it; they know where that is.
  const file = request.graphPath;
  const text = await readGraphFile(file);
  const loaded = parseGraphText(text, file);
  const { graph, chosenFiles } = applyCommandLineOverrides(loaded, catalogue, request.sets, {
    cwd,
    file,
  });
  const policy = graphFilePolicy(file, request, chosenFiles, cwd);
  const compiled = compileGraph(graph, catalogue, { file, trustedPath: policy.trustedPath });
  const saveTargets = resolveSaveTargets(compiled, request.saves, { cwd, file });
  // Shapes named by files (an .npy's, an ONNX model's) are checked before any node runs, and
  // before the engine starts: reading headers needs no backend.
  const plan = await probePlanFacts(compiled, {
    files: nodeFileHost(policy.graphFolder, policy.rules),
    file,
  });

  return withEngine(
    policy,
    request.backend,
    async ({ executor, signal }) => {
      const summary = await executor.run(plan, { signal });
      let saved: SavedOutput[] = [];
      let error = summary.error;
      if (summary.ok) {
        try {
          saved = await writeSavedOutputs(
            saveTargets,
            (nodeId, port) => executor.output(nodeId, port),
            nodeFileHost(cwd, 'anywhere'),
          );
        } catch (saveError) {
          error = { message: `--save failed: ${(saveError as Error).message}` };
        }
      }
      const report: RunReport = {
        ok: summary.ok && !error,
        cancelled: summary.cancelled,
        backend: request.backend,
        ms: summary.ms,
        nodes: summary.nodes,
        saved,
        ...(error ? { error } : {}),
      };
      const nodeTypes = new Map([...plan.nodes].map(([id, node]) => [id, node.definition.type]));
      output.stdout(
        request.json ? formatRunReportJson(report) : formatRunReportText(report, nodeTypes),
      );
      if (error) output.stderr(`error: ${describeRunError(file, error)}\n`);
      if (report.ok) return EXIT_OK;
      return report.cancelled ? EXIT_CANCELLED : EXIT_RUNTIME_FAILURE;
    },
    { plan },
  );
}

export async function readGraphFile(file: string): Promise<string> {
  try {
    // A regular file of bounded size: `principia run /dev/zero` must not read forever.
    const bytes = await readRegularFile(file, { maxBytes: GRAPH_LIMITS.textLength });
    return new TextDecoder().decode(bytes);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (error as Error).message;
    throw new UsageError(`${file}: cannot read the graph file (${reason})`);
  }
}

function describeRunError(
  file: string,
  error: { nodeId?: string; message: string; internal?: boolean },
): string {
  const text = error.internal
    ? `${error.message} (an internal error of Principia, not of the graph: please report it)`
    : error.message;
  return error.nodeId ? `${file}: node "${error.nodeId}": ${text}` : `${file}: ${text}`;
}
