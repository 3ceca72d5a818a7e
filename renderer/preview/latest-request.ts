// Requests where only the latest matters (the score field while the timeline is scrubbed): each
// request waits `delayMs` for a newer one, at most one is in flight, and an answer that a newer
// request has overtaken is dropped. Fast scrubbing costs one evaluation per pause, not per frame.

export interface LatestRequester<Q> {
  /** Asks for `query`, replacing any request not yet answered. */
  request(query: Q): void;
  /** Drops every pending request and any answer still to come. */
  cancel(): void;
}

export function latestRequester<Q, R>(
  fetch: (query: Q) => Promise<R>,
  onResult: (query: Q, result: R) => void,
  onError: (query: Q, error: unknown) => void,
  delayMs: number,
): LatestRequester<Q> {
  let pending: { query: Q } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  /** Bumped by every request and cancel: an answer of an older generation is stale. */
  let generation = 0;

  const send = () => {
    timer = undefined;
    if (inFlight || !pending) return;
    const { query } = pending;
    pending = undefined;
    inFlight = true;
    const sentAt = generation;
    fetch(query).then(
      (result) => finish(() => sentAt === generation && onResult(query, result)),
      (error: unknown) => finish(() => sentAt === generation && onError(query, error)),
    );
  };
  const finish = (report: () => void) => {
    inFlight = false;
    report();
    // A request that arrived meanwhile goes out now (its delay has passed, or runs on).
    if (pending && timer === undefined) send();
  };

  return {
    request(query) {
      generation++;
      pending = { query };
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(send, delayMs);
    },
    cancel() {
      generation++;
      pending = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
