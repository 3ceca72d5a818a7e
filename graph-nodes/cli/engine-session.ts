// What every command that runs the engine does around its work: start the tfjs backend, make an
// Executor whose files resolve beside the graph file (wherever the command is run from), turn
// Ctrl-C into a cancel signal, and release both when the work ends.
import { dirname, resolve } from 'node:path';
import { Executor } from '../core/execute';
import type { FileHost } from '../core/node-definition';
import { initNodeBackend } from '../runtime/node-backend';
import { nodeFileHost } from '../runtime/node-files';
import type { BackendName } from './arguments';

export interface EngineSession {
  readonly executor: Executor;
  /** Files relative to the graph file's folder. */
  readonly files: FileHost;
  readonly graphFolder: string;
  /** Fires on Ctrl-C. */
  readonly signal: AbortSignal;
}

export async function withEngine<T>(
  graphPath: string,
  backend: BackendName,
  work: (session: EngineSession) => Promise<T>,
): Promise<T> {
  await initNodeBackend(backend);
  const graphFolder = dirname(resolve(process.cwd(), graphPath));
  const files = nodeFileHost(graphFolder);
  const executor = new Executor({ files });
  const abort = new AbortController();
  const cancelOnInterrupt = (): void => abort.abort();
  process.once('SIGINT', cancelOnInterrupt);
  try {
    return await work({ executor, files, graphFolder, signal: abort.signal });
  } finally {
    process.off('SIGINT', cancelOnInterrupt);
    executor.dispose();
  }
}
