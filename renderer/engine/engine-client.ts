// The UI thread's handle on the engine worker.
import * as Comlink from 'comlink';
import type { EngineWorkerApi } from './engine-protocol';

export type EngineClient = Comlink.Remote<EngineWorkerApi>;

let client: EngineClient | undefined;

export function engineClient(): EngineClient {
  client ??= Comlink.wrap<EngineWorkerApi>(
    new Worker(new URL('./engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'principia-engine',
    }),
  );
  return client;
}

export { Comlink };
