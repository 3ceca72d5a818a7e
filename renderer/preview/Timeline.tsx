// The scrubber under the preview: one position per solver step, with t and σ̃ of the shown frame
// (a Schrödinger bridge's: t alone, running from 0 to 1), play/pause with a speed, and ← / → to
// step. Dragging it while a run streams pins the view to
// that step; the ⏭ button (or scrubbing to the end) follows the newest frame again.
import { useEffect } from 'react';
import type { TrajectoryFrame } from '../run/run-store';
import { formatLevel } from './frame-stats';
import { PLAYBACK_SPEEDS, previewState, usePreviewStore } from './preview-store';

interface TimelineProps {
  readonly frames: readonly TrajectoryFrame[];
  readonly index: number;
  /** Steps the solver will take (the scrubber's length while frames still arrive). */
  readonly steps: number;
  readonly following: boolean;
  /** A Schrödinger bridge's frames: shown by t (σ̃ = 1 − t says nothing more). */
  readonly bridge?: boolean;
}

/** Advances the shown step while playing, from the start again after the last frame. */
function usePlayback(frameCount: number, index: number): void {
  const playing = usePreviewStore((state) => state.playing);
  const fps = usePreviewStore((state) => state.fps);
  useEffect(() => {
    if (!playing || frameCount < 2) return;
    const timer = setTimeout(
      () => previewState.showStep(index + 1 >= frameCount ? 0 : index + 1),
      1000 / fps,
    );
    return () => clearTimeout(timer);
  }, [playing, fps, index, frameCount]);
}

export function stepBy(delta: number, index: number, frameCount: number): void {
  if (frameCount === 0) return;
  previewState.setPlaying(false);
  previewState.showStep(Math.min(frameCount - 1, Math.max(0, index + delta)));
}

export function Timeline({ frames, index, steps, following, bridge = false }: TimelineProps) {
  const playing = usePreviewStore((state) => state.playing);
  const fps = usePreviewStore((state) => state.fps);
  usePlayback(frames.length, index);
  const frame = frames[index];
  const last = Math.max(steps, frames.length - 1, 0);
  // A whole trajectory kept as fewer frames than steps (a long run halved, or one thinned in the
  // run history) scrubs frame by frame over the whole track; the readout still says each step.
  const whole = frames.length > 0 && frames[frames.length - 1]!.step >= steps;
  const positions = whole ? frames.length - 1 : last;

  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-row">
        <button
          className="icon"
          aria-label={playing ? 'Pause' : 'Play'}
          title={playing ? 'Pause' : 'Play the steps'}
          data-testid="timeline-play"
          disabled={frames.length < 2}
          onClick={() => previewState.setPlaying(!playing)}
        >
          {playing ? '❚❚' : '▶'}
        </button>
        <button
          className="icon"
          aria-label="Previous step"
          title="Previous step (←)"
          disabled={index <= 0}
          onClick={() => stepBy(-1, index, frames.length)}
        >
          ‹
        </button>
        <input
          type="range"
          className="scrubber"
          aria-label="Step"
          data-testid="timeline-scrubber"
          min={0}
          max={positions}
          step={1}
          value={Math.max(0, index)}
          disabled={frames.length === 0}
          style={{
            ['--received' as string]: `${(100 * Math.max(0, frames.length - 1)) / Math.max(1, positions)}%`,
          }}
          onChange={(event) => {
            const wanted = Number(event.target.value);
            previewState.setPlaying(false);
            // Only frames that have arrived can be shown; the end of the list follows the run.
            previewState.showStep(
              wanted >= frames.length - 1 ? undefined : Math.min(wanted, frames.length - 1),
            );
          }}
        />
        <button
          className="icon"
          aria-label="Next step"
          title="Next step (→)"
          disabled={index >= frames.length - 1}
          onClick={() => stepBy(1, index, frames.length)}
        >
          ›
        </button>
        <button
          className={`follow${following ? ' active' : ''}`}
          aria-label="Follow the newest step"
          title="Follow the newest step as frames arrive"
          data-testid="timeline-follow"
          onClick={() => previewState.showStep(undefined)}
        >
          ● live
        </button>
      </div>
      <div className="timeline-row">
        <span className="frame-readout" data-testid="frame-readout" data-t={frame?.t ?? ''}>
          {frame && bridge ? (
            <>
              t = <strong>{formatLevel(frame.t)}</strong> · step <strong>{frame.step}</strong> /{' '}
              {last}
            </>
          ) : frame ? (
            <>
              step <strong>{frame.step}</strong> / {last} · t{' '}
              <strong>{formatLevel(frame.t)}</strong> · σ̃{' '}
              <strong>{formatLevel(frame.sigmaTilde)}</strong>
            </>
          ) : (
            'no steps yet'
          )}
        </span>
        <label className="speed">
          speed
          <select
            aria-label="Playback speed"
            value={fps}
            onChange={(event) => previewState.setFps(Number(event.target.value))}
          >
            {PLAYBACK_SPEEDS.map((speed) => (
              <option key={speed} value={speed}>
                {speed} steps/s
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}
