// Gives the event loop one turn, so a cancel message or a UI event can be handled mid-run.
// setTimeout(0) is clamped to ≥ 1 ms in Node and ≥ 4 ms in nested browser timers, which adds up
// over a solver's steps; setImmediate (Node) and a MessageChannel (browser, worker) do not.

type Resolve = () => void;

const viaImmediate = (): Promise<void> | undefined => {
  const setImmediateFn = (globalThis as { setImmediate?: (fn: Resolve) => void }).setImmediate;
  return setImmediateFn ? new Promise<void>((resolve) => setImmediateFn(resolve)) : undefined;
};

let channel: MessageChannel | undefined;
const waiting: Resolve[] = [];

const viaMessageChannel = (): Promise<void> => {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(null);
  });
};

export function yieldToEventLoop(): Promise<void> {
  return (
    viaImmediate() ??
    (typeof MessageChannel === 'function'
      ? viaMessageChannel()
      : new Promise((resolve) => setTimeout(resolve, 0)))
  );
}
