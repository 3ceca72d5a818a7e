// A history entry in words: when it finished, how long it took, what changed since the run
// before, and (in its tooltip) what of it was kept.
import { formatDuration } from '../chrome/format-duration';
import { describeChange } from './graph-diff';
import type { RunHistoryEntry } from './history-store';
import { describeKept } from './trajectory-snapshot';

/** "14:03:05": runs of one session are told apart by the time of day. */
export function formatClock(time: number): string {
  return new Date(time).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
}

/** What changed, one line per change; for the first run of a document, that it is one. */
export function describeChanges(entry: RunHistoryEntry): string[] {
  if (entry.changes === undefined) return [`first run of ${entry.documentTitle}`];
  if (entry.changes.length === 0) return ['no changes (re-run)'];
  return entry.changes.map(describeChange);
}

/** The entry's steps: its final frame's. */
export function entrySteps(entry: RunHistoryEntry): number {
  return entry.trajectory.frames.at(-1)?.step ?? 0;
}

/** Everything about an entry, for its tooltip. */
export function entryTooltip(entry: RunHistoryEntry): string {
  const last = entry.trajectory.frames.at(-1);
  const unit = entry.kept.images ? 'images' : 'points';
  const kept = describeKept(entry.kept);
  return [
    `Run #${entry.id} of ${entry.documentTitle}`,
    `finished ${new Date(entry.finishedAt).toLocaleString()} in ${formatDuration(entry.ms)}`,
    `${entry.trajectory.nodeId}: ${entrySteps(entry)} steps, ${last?.totalCount ?? 0} ${unit}`,
    ...(entry.runs > 1 ? [`${entry.runs} auto-runs of one slider drag, kept as one`] : []),
    ...(kept ? [kept] : []),
    '',
    ...describeChanges(entry),
  ].join('\n');
}
