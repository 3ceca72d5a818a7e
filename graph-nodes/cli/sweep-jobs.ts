// `principia sweep --jobs N`: grid points run in N worker processes, each a `principia
// sweep-worker` started from the same bin/principia.mjs, so each runs the very engine code a
// one-process sweep runs. Workers ask for work: a worker that is free gets the next grid point, so
// a grid of cheap and costly points keeps every worker busy to the end. Each worker computes what
// its points share (the prior, the data, the rk45 reference) once, on its own executor: measured,
// recomputing costs less wall time than computing once and shipping it (docs/scale-out.md).
// Results come back over the IPC channel with V8's serializer, so every number arrives as it was.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SweepPoint } from '../compare/sweep';
import { GraphError, type GraphIssue } from '../core/errors';
import type { SweepRequest } from './arguments';
import { EXIT_CANCELLED } from './exit-codes';
import { UsageError } from './usage';

/** What a worker needs to set up the sweep exactly as its parent did. */
export interface WorkerSetup {
  /** The graph file's text as the parent read it: every worker runs the same graph. */
  readonly graphText: string;
  readonly request: SweepRequest;
  /** The parent's working directory, against which the request's paths resolve. */
  readonly cwd: string;
}

export type ToWorker =
  | { readonly type: 'start'; readonly setup: WorkerSetup }
  | { readonly type: 'run'; readonly index: number }
  | { readonly type: 'cancel' }
  | { readonly type: 'stop' };

export type FromWorker =
  | { readonly type: 'ready' }
  | {
      readonly type: 'point';
      readonly index: number;
      readonly point: SweepPoint;
      readonly pointMs: number;
    }
  | { readonly type: 'cancelled'; readonly index: number }
  | {
      readonly type: 'failed';
      readonly message: string;
      readonly issues?: readonly GraphIssue[];
      readonly usage?: boolean;
    };

export interface PoolOptions {
  readonly signal: AbortSignal;
  readonly onPoint: (index: number, point: SweepPoint, pointMs: number) => void | Promise<void>;
}

/** How long workers may take to stop after a cancel before they are killed. */
const CANCEL_GRACE_MS = 1000;
/** The last characters of a worker's stderr, quoted when it dies. */
const STDERR_TAIL = 4000;

/** bin/principia.mjs, found from this module: graph-nodes/cli/ or the CLI bundle's cache folder. */
export function principiaBin(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(folder, 'bin', 'principia.mjs');
    if (existsSync(candidate)) return candidate;
    folder = dirname(folder);
  }
  throw new Error('cannot find bin/principia.mjs to start worker processes; use --jobs 1');
}

/**
 * Runs `indices` on `jobs` worker processes and hands each point to `onPoint` as it lands (in
 * the order they finish). Resolves with whether the run was cancelled; rejects with the first
 * worker's error (a GraphError or UsageError as the worker threw it).
 */
export function runInWorkers(
  setup: WorkerSetup,
  indices: readonly number[],
  jobs: number,
  options: PoolOptions,
): Promise<{ cancelled: boolean }> {
  const bin = principiaBin();
  const queue = [...indices];
  const workers: ChildProcess[] = [];
  const stopping = new Set<ChildProcess>();
  let settled = false;
  let cancelled = false;
  let pending = Promise.resolve();

  return new Promise((resolve, reject) => {
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      for (const worker of workers) {
        if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGTERM');
      }
      // Points still being written land before the pool says it is done.
      void pending.then(
        () => (error ? reject(error) : resolve({ cancelled })),
        (writeError: unknown) => reject(error ?? writeError),
      );
    };
    const onAbort = () => {
      cancelled = true;
      queue.length = 0;
      for (const worker of workers) send(worker, { type: 'cancel' });
      setTimeout(() => finish(), CANCEL_GRACE_MS).unref();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });

    const next = (worker: ChildProcess) => {
      const index = queue.shift();
      if (index === undefined) {
        stopping.add(worker);
        send(worker, { type: 'stop' });
      } else {
        send(worker, { type: 'run', index });
      }
    };

    for (let slot = 0; slot < jobs; slot++) {
      const worker = spawn(process.execPath, [bin, 'sweep-worker'], {
        cwd: setup.cwd,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'advanced',
        // Ctrl-C reaches the workers through the parent's cancel, not the terminal, so a worker
        // never exits before its parent has heard from it.
        detached: process.platform !== 'win32',
      });
      workers.push(worker);
      let stderr = '';
      worker.stderr?.setEncoding('utf8');
      worker.stderr?.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_TAIL);
      });
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        switch (message.type) {
          case 'ready':
            next(worker);
            break;
          case 'point':
            pending = pending.then(() =>
              options.onPoint(message.index, message.point, message.pointMs),
            );
            pending.catch((error: unknown) => finish(error));
            next(worker);
            break;
          case 'cancelled':
            cancelled = true;
            stopping.add(worker);
            send(worker, { type: 'stop' });
            break;
          case 'failed':
            finish(workerError(message));
            break;
        }
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code, signal) => {
        if (settled) return;
        if (!stopping.has(worker) && !cancelled) {
          const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
          const tail = stderr.trim() ? `:\n${stderr.trim()}` : '';
          finish(new Error(`a sweep worker process ${how}${tail}`));
          return;
        }
        if (workers.every((each) => each.exitCode !== null || each.signalCode !== null)) finish();
      });
      send(worker, { type: 'start', setup });
    }
  });
}

function send(worker: ChildProcess, message: ToWorker): void {
  if (worker.connected) worker.send(message);
}

function workerError(message: Extract<FromWorker, { type: 'failed' }>): Error {
  if (message.issues) return new GraphError([...message.issues]);
  if (message.usage) return new UsageError(message.message);
  return new Error(message.message);
}

/**
 * The parent's Ctrl-C while workers run: the first cancels (workers stop at their next
 * checkpoint), a second one, or workers still running a second later, end the process.
 */
export function interruptToAbort(): { signal: AbortSignal; release: () => void } {
  const abort = new AbortController();
  let forceExit: ReturnType<typeof setTimeout> | undefined;
  const onInterrupt = (): void => {
    if (abort.signal.aborted) process.exit(EXIT_CANCELLED);
    abort.abort();
    forceExit = setTimeout(() => process.exit(EXIT_CANCELLED), 2 * CANCEL_GRACE_MS);
    forceExit.unref();
  };
  process.on('SIGINT', onInterrupt);
  return {
    signal: abort.signal,
    release: () => {
      process.off('SIGINT', onInterrupt);
      clearTimeout(forceExit);
    },
  };
}
