// `principia sweep --jobs N`: grid points run in N processes — this one and N − 1 `principia
// sweep-worker`s started from the same bin/principia.mjs — so each runs the very engine code a
// one-process sweep runs. Points are handed out as processes free up (each worker holds one in
// reserve, so it never waits for this process, which is busy running points of its own), so a
// grid of cheap and costly points keeps every process busy to the end. Each process computes what
// its points share (the prior, the data, the rk45 reference) once, on its own executor, from the
// same seeds: measured, shipping it instead would save a fixed ~0.4 s on a small grid on a busy
// machine, not worth a cross-process format for engine values (docs/scale-out.md).
// Results come back over the IPC channel with V8's serializer, so every number arrives as it was.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SweepPoint } from '../compare/sweep';
import { GraphError, type GraphIssue } from '../core/errors';
import type { SweepRequest } from './arguments';
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
  /**
   * Runs points in this process too, alongside the workers; undefined means cancelled. `stop`
   * fires when the pool ends early (a worker failed).
   */
  readonly local?: (index: number, stop: AbortSignal) => Promise<SweepPoint | undefined>;
}

/** Points a worker is given ahead: one running, one waiting. */
const IN_FLIGHT_PER_WORKER = 2;

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
 * Runs `indices` on `workerCount` worker processes (and in this process, with `options.local`)
 * and hands each point to `onPoint` as it lands (in the order they finish). Resolves with whether
 * the run was cancelled; rejects with the first error (a GraphError or UsageError as the worker
 * threw it).
 */
export function runInWorkers(
  setup: WorkerSetup,
  indices: readonly number[],
  workerCount: number,
  options: PoolOptions,
): Promise<{ cancelled: boolean }> {
  const bin = principiaBin();
  const queue = [...indices];
  const workers: ChildProcess[] = [];
  const stopping = new Set<ChildProcess>();
  const inFlight = new Map<ChildProcess, number>();
  const ready = new Set<ChildProcess>();
  let settled = false;
  let cancelled = false;
  let localDone = options.local === undefined;
  let localLoop = Promise.resolve();
  const localStop = new AbortController();
  let pending = Promise.resolve();

  return new Promise((resolve, reject) => {
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      for (const worker of workers) {
        if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGTERM');
      }
      localStop.abort();
      // Points still being written land, and this process's point ends, before the pool is done.
      void Promise.all([pending, localLoop]).then(
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

    const allDone = () =>
      localDone && workers.every((each) => each.exitCode !== null || each.signalCode !== null);
    const processes = workerCount + (options.local ? 1 : 0);
    /** Tops the worker up to its points in flight, or tells it to stop once it has none left. */
    const feed = (worker: ChildProcess) => {
      if (stopping.has(worker)) return;
      // Near the end a point in reserve would wait while another process idles: none then.
      const ahead = () => (queue.length > processes ? IN_FLIGHT_PER_WORKER : 1);
      while ((inFlight.get(worker) ?? 0) < ahead() && queue.length) {
        send(worker, { type: 'run', index: queue.shift()! });
        inFlight.set(worker, (inFlight.get(worker) ?? 0) + 1);
      }
      if ((inFlight.get(worker) ?? 0) === 0) {
        stopping.add(worker);
        send(worker, { type: 'stop' });
      }
    };
    const land = (index: number, point: SweepPoint, pointMs: number) => {
      pending = pending.then(() => options.onPoint(index, point, pointMs));
      pending.catch((error: unknown) => finish(error));
    };

    for (let slot = 0; slot < workerCount; slot++) {
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
            ready.add(worker);
            feed(worker);
            break;
          case 'point':
            inFlight.set(worker, (inFlight.get(worker) ?? 1) - 1);
            land(message.index, message.point, message.pointMs);
            feed(worker);
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
        if (allDone()) finish();
      });
      send(worker, { type: 'start', setup });
    }

    const local = options.local;
    if (local) {
      localLoop = (async () => {
        for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
          const started = performance.now();
          const point = await local(index, localStop.signal);
          if (settled) return;
          if (!point) {
            cancelled = true;
            break;
          }
          land(index, point, performance.now() - started);
        }
        localDone = true;
        // Workers still starting would find nothing left: they need not finish starting.
        for (const worker of workers) {
          if (ready.has(worker) || stopping.has(worker)) continue;
          stopping.add(worker);
          worker.kill('SIGTERM');
        }
        if (allDone()) finish();
      })().catch((error: unknown) => finish(error));
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
