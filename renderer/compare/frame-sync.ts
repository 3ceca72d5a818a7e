// One scrubber, several solvers: which frame each panel shows. Solvers with different step
// counts visit different noise levels, so "the same moment" means either the same σ̃ (each panel
// shows the last frame that has reached it) or the same fraction of the run.

export type SyncMode = 'sigma' | 'fraction';

/** The scrubber's position as a fraction in [0, 1] of the way from the start to the end. */
export type ScrubPosition = number;

/** Noise levels of a run's frames, from σ̃_max (frame 0) down to 0. */
export type SigmaList = readonly number[];

/**
 * The σ̃ a scrubber position stands for, shared by all panels: log-spaced between the largest
 * starting σ̃ and the smallest positive one (so the last stretch near the data is not squeezed
 * into a sliver), and exactly 0 at the end.
 */
export function sigmaAt(position: ScrubPosition, runs: readonly SigmaList[]): number {
  const starts = runs.map((sigmas) => sigmas[0]).filter((s): s is number => s !== undefined);
  const positives = runs.flatMap((sigmas) => sigmas.filter((sigma) => sigma > 0));
  if (starts.length === 0 || positives.length === 0) return 0;
  if (position >= 1) return 0;
  const high = Math.log(Math.max(...starts));
  const low = Math.log(Math.min(...positives));
  return Math.exp(high + (low - high) * Math.max(0, position));
}

/**
 * The frame a panel shows at `position`: by σ̃, its last frame at or above the shared σ̃ (the
 * state it holds at that noise level); by fraction, the nearest frame.
 */
export function frameIndexAt(
  sigmas: SigmaList,
  position: ScrubPosition,
  mode: SyncMode,
  runs: readonly SigmaList[],
): number {
  if (sigmas.length === 0) return -1;
  const last = sigmas.length - 1;
  if (mode === 'fraction') return Math.round(Math.min(1, Math.max(0, position)) * last);
  const target = sigmaAt(position, runs);
  // Frames run from high to low σ̃: show the latest one not yet below the target.
  let shown = 0;
  for (let index = 0; index <= last; index++) {
    if (sigmas[index]! >= target * (1 - 1e-9)) shown = index;
  }
  return shown;
}

/** The scrubber positions of a panel's own frames, for tick marks. */
export function framePositions(
  sigmas: SigmaList,
  mode: SyncMode,
  runs: readonly SigmaList[],
): number[] {
  if (mode === 'fraction') return sigmas.map((_, index) => index / Math.max(1, sigmas.length - 1));
  const starts = runs.map((list) => list[0]).filter((s): s is number => s !== undefined);
  const positives = runs.flatMap((list) => list.filter((sigma) => sigma > 0));
  const high = Math.log(Math.max(...starts));
  const low = Math.log(Math.min(...positives));
  return sigmas.map((sigma) =>
    sigma <= 0 ? 1 : Math.min(1, Math.max(0, (Math.log(sigma) - high) / (low - high))),
  );
}
