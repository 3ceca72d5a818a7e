// `principia train GRAPH.json --node ID`: runs what the node's training inputs need, trains it
// (progress on stderr), and writes its weights where its weights param says, beside the graph.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { catalogue, compileGraph, parseGraphText } from '../index';
import { trainableNode, trainNode } from '../neural/train-node';
import { TrainingCancelledError, type TrainingProgress } from '../neural/train';
import type { TrainRequest } from './arguments';
import type { CommandOutput } from './command-output';
import { withEngine } from './engine-session';
import { graphFilePolicy } from './file-policy';
import { EXIT_CANCELLED, EXIT_OK } from './exit-codes';
import { readGraphFile } from './run-command';

export async function trainCommand(request: TrainRequest, output: CommandOutput): Promise<number> {
  const file = request.graphPath;
  const policy = graphFilePolicy(file, request, new Set());
  const plan = compileGraph(parseGraphText(await readGraphFile(file), file), catalogue, {
    file,
    trustedPath: policy.trustedPath,
  });
  const { node } = trainableNode(plan, request.nodeId, file);

  return withEngine(policy, request.backend, async ({ executor, files, graphFolder, signal }) => {
    const weightsPath = node.params['weights'];
    if (typeof weightsPath === 'string' && weightsPath.trim() !== '') {
      await mkdir(dirname(resolve(graphFolder, weightsPath)), { recursive: true });
    }
    const started = performance.now();
    try {
      const trained = await trainNode(plan, node.id, {
        executor,
        files,
        file,
        signal,
        onProgress: (p: TrainingProgress): void => {
          if (!request.json)
            output.stderr(`step ${p.step}/${p.steps}  loss ${p.loss.toFixed(5)}\n`);
        },
        ...(request.steps !== undefined ? { steps: request.steps } : {}),
      });
      const ms = performance.now() - started;
      const first = trained.history[0];
      const last = trained.history[trained.history.length - 1];
      const report = {
        ok: true,
        node: node.id,
        weights: trained.path,
        steps: last?.step ?? 0,
        firstLoss: first?.loss ?? null,
        finalLoss: last?.loss ?? null,
        ms: Math.round(ms),
      };
      output.stdout(
        request.json
          ? JSON.stringify(report) + '\n'
          : `trained "${node.id}" for ${report.steps} steps in ${(ms / 1000).toFixed(1)} s: ` +
              `loss ${report.firstLoss?.toFixed(5)} → ${report.finalLoss?.toFixed(5)}; ` +
              `weights written to ${trained.path}\n`,
      );
      return EXIT_OK;
    } catch (error) {
      if (error instanceof TrainingCancelledError) {
        output.stderr(`error: ${error.message}; no weights were written\n`);
        return EXIT_CANCELLED;
      }
      throw error;
    }
  });
}
