// `principia train GRAPH.json --node ID`: runs what the node's training inputs need, trains it
// (progress on stderr), and writes its weights where its weights param says, beside the graph.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GraphError } from '../core/errors';
import { catalogue, compileGraph, Executor, parseGraphText } from '../index';
import { trainAndSave, trainerFor } from '../neural/trainers';
import { TrainingCancelledError, type TrainingProgress } from '../neural/train';
import { initNodeBackend } from '../runtime/node-backend';
import { nodeFileHost } from '../runtime/node-files';
import type { TrainRequest } from './arguments';
import type { CommandOutput } from './command-output';
import { EXIT_CANCELLED, EXIT_OK, EXIT_RUNTIME_FAILURE } from './exit-codes';
import { readGraphFile } from './run-command';

export async function trainCommand(request: TrainRequest, output: CommandOutput): Promise<number> {
  const file = request.graphPath;
  const plan = compileGraph(parseGraphText(await readGraphFile(file), file), catalogue, { file });
  const node = plan.nodes.get(request.nodeId);
  if (!node) {
    throw new GraphError([
      { code: 'unknown-node', file, nodeId: request.nodeId, message: 'there is no such node' },
    ]);
  }
  const trainer = trainerFor(node.definition.type);
  if (!trainer) {
    throw new GraphError([
      {
        code: 'bad-param',
        file,
        nodeId: node.id,
        message: `a ${node.definition.type} node has nothing to train`,
      },
    ]);
  }
  const missing = trainer.inputs.filter((port) => !node.inputs[port]);
  if (missing.length) {
    throw new GraphError(
      missing.map((port) => ({
        code: 'missing-input' as const,
        file,
        nodeId: node.id,
        port,
        message: 'training reads this input: connect it',
      })),
    );
  }

  await initNodeBackend(request.backend);
  const graphFolder = dirname(resolve(process.cwd(), file));
  const files = nodeFileHost(graphFolder);
  const weightsPath = node.params['weights'];
  if (typeof weightsPath === 'string' && weightsPath.trim() !== '') {
    await mkdir(dirname(resolve(graphFolder, weightsPath)), { recursive: true });
  }
  const executor = new Executor({ files });
  const abort = new AbortController();
  const cancelOnInterrupt = (): void => abort.abort();
  process.once('SIGINT', cancelOnInterrupt);
  const started = performance.now();
  try {
    const sources = trainer.inputs.map((port) => node.inputs[port]!);
    const summary = await executor.run(plan, {
      signal: abort.signal,
      targets: sources.map((ref) => ref.node),
    });
    if (!summary.ok) {
      const where = summary.error?.nodeId ? `node "${summary.error.nodeId}": ` : '';
      output.stderr(`error: ${file}: ${where}${summary.error?.message ?? 'run failed'}\n`);
      return summary.cancelled ? EXIT_CANCELLED : EXIT_RUNTIME_FAILURE;
    }
    const inputs = Object.fromEntries(
      trainer.inputs.map((port) => {
        const ref = node.inputs[port]!;
        return [port, executor.output(ref.node, ref.port)];
      }),
    );
    const onProgress = (p: TrainingProgress): void => {
      if (!request.json) output.stderr(`step ${p.step}/${p.steps}  loss ${p.loss.toFixed(5)}\n`);
    };
    const trained = await trainAndSave(node.definition.type, inputs, node.params, files, {
      signal: abort.signal,
      onProgress,
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
  } finally {
    process.off('SIGINT', cancelOnInterrupt);
    executor.dispose();
  }
}
