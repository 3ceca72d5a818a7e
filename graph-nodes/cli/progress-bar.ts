// A one-line progress bar on stderr — points done of the total, and the time left — for a
// terminal only: stdout stays clean for --json and --csv, and a log or CI never sees it.
import type { CommandOutput } from './command-output';

export interface ProgressBar {
  /** One more unit done. */
  tick(): void;
  /** Clears the line, so what comes next starts on a clean one. */
  clear(): void;
}

/** Redraws at most this often. */
const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export function progressBar(
  output: CommandOutput,
  total: number,
  label: string,
  now: () => number = () => performance.now(),
): ProgressBar {
  if (!output.stderrIsTTY || total <= 1) return { tick() {}, clear() {} };
  const started = now();
  let done = 0;
  let drawnAt = -Infinity;
  let shown = false;
  const draw = () => {
    const filled = Math.round((done / total) * BAR_WIDTH);
    const elapsed = now() - started;
    const left = done === 0 ? undefined : (elapsed / done) * (total - done);
    const eta = left === undefined ? '' : `  ETA ${formatDuration(left)}`;
    output.stderr(
      `\r\u001b[K${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total}${eta}`,
    );
    shown = true;
    drawnAt = now();
  };
  draw();
  return {
    tick() {
      done++;
      if (done === total || now() - drawnAt >= REDRAW_MS) draw();
    },
    clear() {
      if (shown) output.stderr('\r\u001b[K');
      shown = false;
    },
  };
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
