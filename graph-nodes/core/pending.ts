// Asynchronous models (onnxruntime's session.run returns a Promise) behind the synchronous
// Denoiser interface that every solver step calls inside tf.tidy.
//
// A step is deterministic given what its calls return, so it can be replayed: the caller runs the
// step in `settle`; the k-th asynchronous evaluation in a step either returns the result stored by
// an earlier attempt or throws PendingEvaluation; `settle` awaits that evaluation, stores its
// result and runs the step again from the start. Random draws made during a step go through
// `remember`, so a replay sees the same noise. A step with n asynchronous calls runs n + 1 times;
// a step with none runs once, exactly as before.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/** Thrown inside an attempt when an asynchronous evaluation has not happened yet. */
export class PendingEvaluation extends Error {
  constructor(readonly evaluate: () => Promise<void>) {
    super(
      'an asynchronous model (e.g. an ONNX denoiser) was called by a caller that cannot wait ' +
        'for it',
    );
    this.name = 'PendingEvaluation';
  }
}

interface ReplayScope {
  /** Results in call order, kept across attempts (owned by the scope). */
  readonly results: Tensor[];
  cursor: number;
}

let active: ReplayScope | undefined;

/**
 * Runs `attempt` until no asynchronous evaluation inside it is pending, then returns its result.
 * Everything `attempt` returns must be created by it (e.g. inside its own tf.tidy).
 */
export async function settle<T>(attempt: () => T): Promise<T> {
  const scope: ReplayScope = { results: [], cursor: 0 };
  const outer = active;
  try {
    for (;;) {
      let pending: PendingEvaluation;
      active = scope;
      scope.cursor = 0;
      try {
        return attempt();
      } catch (error) {
        if (!(error instanceof PendingEvaluation)) throw error;
        pending = error;
      } finally {
        active = outer;
      }
      await pending.evaluate();
    }
  } finally {
    tf.dispose(scope.results);
  }
}

/** The next stored result of this attempt (a clone the caller owns), if earlier attempts made it. */
function storedResult<T extends Tensor>(): T | undefined {
  if (!active) return undefined;
  const stored = active.results[active.cursor];
  if (!stored) return undefined;
  active.cursor++;
  return tf.clone(stored) as T;
}

/**
 * A random draw (or any tensor that must be the same on every replay of a step). Outside `settle`
 * this is just `draw()`.
 */
export function remember<T extends Tensor>(draw: () => T): T {
  if (!active) return draw();
  const stored = storedResult<T>();
  if (stored) return stored;
  const value = tf.keep(draw());
  active.results.push(value);
  active.cursor++;
  return tf.clone(value) as T;
}

/** Whether the caller runs inside `settle`, so an asynchronous evaluation can be awaited. */
export function canAwaitEvaluation(): boolean {
  return active !== undefined;
}

/**
 * The result of an asynchronous evaluation on `inputs`, inside a `settle` attempt. The inputs are
 * copied before the attempt unwinds, so the evaluation may run after the step's tensors are freed.
 */
export function awaitEvaluation<T extends Tensor>(
  inputs: readonly Tensor[],
  evaluate: (inputs: readonly Tensor[]) => Promise<T>,
  what: string,
): T {
  const scope = active;
  if (!scope) {
    throw new Error(
      `${what} runs asynchronously; this caller evaluates it synchronously outside a solver ` +
        'step, which is not supported',
    );
  }
  const stored = storedResult<T>();
  if (stored) return stored;
  const copies = inputs.map((input) => tf.keep(tf.clone(input)));
  throw new PendingEvaluation(async () => {
    try {
      scope.results.push(tf.keep(await evaluate(copies)));
    } finally {
      tf.dispose(copies);
    }
  });
}
