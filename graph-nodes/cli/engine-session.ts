// What every command that runs the engine does around its work: start the tfjs backend, make an
// Executor whose files resolve beside the graph file (wherever the command is run from) and stay
// where the file policy allows, turn Ctrl-C into a cancel signal, and release both when the work
// ends. A second Ctrl-C, or a first one the work has not answered within a second, ends the
// process at once.
import { Executor } from '../core/execute';
import type { FileHost } from '../core/node-definition';
import type { Plan } from '../core/compile';
import { mayUseDenseKernel } from '../denoisers/empirical';
import { prewarmMatMul } from '../onnx/constant-matmul';
import { initNodeBackend } from '../runtime/node-backend';
import { nodeFileHost } from '../runtime/node-files';
import type { BackendName } from './arguments';
import { EXIT_CANCELLED } from './exit-codes';
import type { GraphFilePolicy } from './file-policy';

export interface EngineSession {
  readonly executor: Executor;
  /** Files relative to the graph file's folder, confined by the policy. */
  readonly files: FileHost;
  readonly graphFolder: string;
  /** Fires on Ctrl-C. */
  readonly signal: AbortSignal;
}

/** How long a cancelled run may take to stop before the process exits regardless. */
const CANCEL_GRACE_MS = 1000;

export async function withEngine<T>(
  policy: GraphFilePolicy,
  backend: BackendName,
  work: (session: EngineSession) => Promise<T>,
  options: { plan?: Plan } = {},
): Promise<T> {
  // initNodeBackend sets onnxruntime's threads before its first await, so before the warm-up.
  const backendReady = initNodeBackend(backend);
  if (options.plan && usesOnnxRuntime(options.plan)) prewarmMatMul();
  await backendReady;
  const abort = new AbortController();
  const files = nodeFileHost(policy.graphFolder, { ...policy.rules, signal: abort.signal });
  const executor = new Executor({ files });
  let forceExit: ReturnType<typeof setTimeout> | undefined;
  const onInterrupt = (): void => {
    if (abort.signal.aborted) process.exit(EXIT_CANCELLED);
    abort.abort();
    forceExit = setTimeout(() => process.exit(EXIT_CANCELLED), CANCEL_GRACE_MS);
    forceExit.unref();
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await work({ executor, files, graphFolder: policy.graphFolder, signal: abort.signal });
  } finally {
    process.off('SIGINT', onInterrupt);
    clearTimeout(forceExit);
    executor.dispose();
  }
}

/** Whether the plan will start onnxruntime: an ONNX model, or an exact denoiser in high dimension. */
function usesOnnxRuntime(plan: Plan): boolean {
  for (const [id, node] of plan.nodes) {
    const type = node.definition.type;
    if (type === 'onnx-denoiser') return true;
    const shape = plan.facts.get(id)?.['denoiser']?.shape;
    const dim = shape?.reduce((a, b) => a * b, 1);
    if (type.includes('empirical') && dim !== undefined && mayUseDenseKernel(dim)) return true;
  }
  return false;
}
