// `principia sweep-worker`: one worker process of `principia sweep --jobs N` (sweep-jobs.ts). It
// is started by its parent and talks to it only over the IPC channel: it sets the sweep up from
// the graph text and command line its parent sends, starts the engine, says it is ready, then runs
// each grid point it is given on one executor (so what points share runs once per worker) and
// sends each point back, until told to stop. It exits when its parent goes away.
import { GraphError } from '../core/errors';
import type { CommandOutput } from './command-output';
import { withEngine } from './engine-session';
import { EXIT_BAD_INPUT, EXIT_CANCELLED, EXIT_OK, EXIT_RUNTIME_FAILURE } from './exit-codes';
import { prepareSweep } from './sweep-command';
import type { FromWorker, ToWorker, WorkerSetup } from './sweep-jobs';
import { UsageError } from './usage';

export async function sweepWorkerCommand(output: CommandOutput): Promise<number> {
  const send = process.send?.bind(process);
  if (!send) {
    throw new UsageError('sweep-worker is started by "principia sweep --jobs N", not by hand');
  }
  const tell = (message: FromWorker) =>
    new Promise<void>((done) => {
      if (!process.connected) return done();
      send(message, undefined, {}, () => done());
    });

  const inbox: ToWorker[] = [];
  let wake: (() => void) | undefined;
  const cancel = new AbortController();
  const onMessage = (message: ToWorker) => {
    if (message.type === 'cancel') cancel.abort();
    inbox.push(message);
    wake?.();
  };
  const onDisconnect = () => {
    cancel.abort();
    inbox.push({ type: 'stop' });
    wake?.();
  };
  process.on('message', onMessage);
  process.on('disconnect', onDisconnect);
  const next = async (): Promise<ToWorker> => {
    while (inbox.length === 0) await new Promise<void>((done) => (wake = done));
    return inbox.shift()!;
  };

  try {
    const first = await next();
    if (first.type !== 'start') return EXIT_OK;
    const setup: WorkerSetup = first.setup;
    const { runner, policy } = prepareSweep(setup.graphText, setup.request, setup.cwd, 'lazily');
    return await withEngine(policy, setup.request.backend, async ({ executor, signal }) => {
      const stop = AbortSignal.any([signal, cancel.signal]);
      await tell({ type: 'ready' });
      for (;;) {
        const message = await next();
        if (message.type === 'stop') return EXIT_OK;
        if (message.type !== 'run') continue;
        const started = performance.now();
        const point = stop.aborted ? undefined : await runner.run(message.index, executor, stop);
        if (!point) {
          await tell({ type: 'cancelled', index: message.index });
          return EXIT_CANCELLED;
        }
        await tell({
          type: 'point',
          index: message.index,
          point,
          pointMs: performance.now() - started,
        });
      }
    });
  } catch (error) {
    await tell({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      ...(error instanceof GraphError ? { issues: error.issues } : {}),
      ...(error instanceof UsageError ? { usage: true } : {}),
    });
    output.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof GraphError || error instanceof UsageError
      ? EXIT_BAD_INPUT
      : EXIT_RUNTIME_FAILURE;
  } finally {
    process.off('message', onMessage);
    process.off('disconnect', onDisconnect);
  }
}
