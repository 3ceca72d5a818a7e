// The row of this session's runs under the preview, newest first: each a thumbnail of its final
// frame, when it finished and how long it took, and what changed since the run before. Clicking
// one shows that run in the dock again; clicking the newest (or "Back to latest") returns to
// the live run. One row that scrolls sideways, so the preview keeps the dock.
import { formatDuration } from '../chrome/format-duration';
import { memo, useEffect, useRef } from 'react';
import { useGraphStore } from '../graph/graph-store';
import { useRunStore } from '../run/run-store';
import { describeChanges, entrySteps, entryTooltip, formatClock } from './history-format';
import {
  historyState,
  HISTORY_LIMIT,
  useHistoryStore,
  type RunHistoryEntry,
} from './history-store';
import { drawRunThumbnail } from './run-thumbnail';
import { describeKept } from './trajectory-snapshot';
import './run-history.css';

/** The thumbnail's size in CSS pixels (run-history.css lays the entry out around it). */
const THUMBNAIL = { width: 64, height: 48 };

function RunThumbnail({ entry }: { entry: RunHistoryEntry }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = Math.round(THUMBNAIL.width * ratio);
    element.height = Math.round(THUMBNAIL.height * ratio);
    drawRunThumbnail(context, entry.trajectory, entry.scene, element.width, element.height, ratio);
  }, [entry.trajectory, entry.scene]);
  return <canvas ref={canvas} className="run-thumbnail" style={THUMBNAIL} />;
}

const RunHistoryItem = memo(function RunHistoryItem({
  entry,
  shown,
  live,
  otherDocument,
}: {
  entry: RunHistoryEntry;
  /** The dock shows this entry from the history. */
  shown: boolean;
  /** This is the run the dock shows live. */
  live: boolean;
  otherDocument: boolean;
}) {
  const lines = describeChanges(entry);
  const steps = entrySteps(entry);
  const thinned = describeKept(entry.kept) !== undefined;
  return (
    <li>
      <button
        type="button"
        className={`run-history-entry${shown ? ' shown' : ''}${live ? ' live' : ''}${otherDocument ? ' other-document' : ''}`}
        aria-pressed={shown || live}
        title={entryTooltip(entry)}
        data-testid={`history-entry-${entry.id}`}
        data-run={entry.id}
        data-steps={steps}
        data-runs={entry.runs}
        onClick={() => (live ? historyState.showLatest() : historyState.show(entry.id))}
      >
        <RunThumbnail entry={entry} />
        <span className="run-history-text">
          <span className="run-history-meta">
            <strong>#{entry.id}</strong> {formatClock(entry.finishedAt)} ·{' '}
            {formatDuration(entry.ms)}
            {thinned && <span aria-label="thinned"> ·✂</span>}
          </span>
          <span className="run-history-changes" data-testid="history-changes">
            {lines[0]}
          </span>
          <span className="run-history-more">
            {lines.length > 1
              ? `+${lines.length - 1} more`
              : otherDocument
                ? entry.documentTitle
                : `${steps} steps${entry.runs > 1 ? ` · ${entry.runs} runs` : ''}`}
          </span>
        </span>
      </button>
    </li>
  );
});

export function RunHistoryStrip() {
  const entries = useHistoryStore((state) => state.entries);
  const shownId = useHistoryStore((state) => state.shownId);
  const documentLoad = useGraphStore((state) => state.loads);
  // The latest run, while it is what the dock shows and nothing newer has started since.
  const liveRun = useRunStore((state) => (state.phase === 'done' ? state.runCount : undefined));
  if (entries.length === 0) return null;
  return (
    <ol
      className="run-history"
      aria-label={`Run history: the last ${HISTORY_LIMIT} runs, newest first`}
      data-testid="run-history"
    >
      {entries.map((entry, index) => (
        <RunHistoryItem
          key={entry.id}
          entry={entry}
          shown={shownId === entry.id}
          live={shownId === undefined && index === 0 && entry.id === liveRun}
          otherDocument={entry.documentLoad !== documentLoad}
        />
      ))}
    </ol>
  );
}
