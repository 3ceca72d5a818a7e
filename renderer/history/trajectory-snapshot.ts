// What the run history keeps of a run's trajectory: the frames the dock drew, within a fixed
// budget per run, so twenty runs of any size stay small. Thinning keeps the same first particles
// in every frame (trails stay whole paths) and every step while it can: fewer particles first,
// fewer frames only when even MIN_POINTS particles per frame would not fit. Images are not
// thinned (the dock's grid of them is the picture): their frames are.
import { firstRows, MAX_PREVIEW_IMAGES } from '../engine/preview-data';
import type { PointCloud } from '../engine/engine-protocol';
import { cloudImageLayout } from '../preview/image-tiles';
import type { TrajectoryFrame, TrajectoryRecord } from '../run/run-store';

/** Bytes of frames one history entry keeps at most: 20 entries hold at most 60 MiB. */
export const ENTRY_BYTES = 3 * 1024 ** 2;
/** Particles a thinned entry keeps at least before it drops frames. */
export const MIN_POINTS = 250;
/** Images likewise: all the dock receives of a frame. */
const MIN_IMAGES = MAX_PREVIEW_IMAGES;

/** How much of the run's trajectory the entry kept. */
export interface KeptSize {
  readonly points: number;
  /** Points per frame the dock had (already capped by the preview: see frame.totalCount). */
  readonly ofPoints: number;
  readonly frames: number;
  readonly ofFrames: number;
  /** The points are images (counted as images). */
  readonly images: boolean;
}

export interface TrajectorySnapshot {
  readonly record: TrajectoryRecord;
  readonly kept: KeptSize;
}

function cloudBytes(cloud: PointCloud | undefined): number {
  return cloud?.values.byteLength ?? 0;
}

function thinCloud(cloud: PointCloud, rows: number): PointCloud {
  return rows >= cloud.count ? cloud : firstRows(cloud.values, cloud.shape, rows);
}

/** `wanted` frames spread evenly from the first to the last (each keeps its own step). */
function spreadFrames(frames: readonly TrajectoryFrame[], wanted: number): TrajectoryFrame[] {
  if (wanted >= frames.length) return [...frames];
  const last = frames.length - 1;
  return Array.from({ length: wanted }, (_, k) => frames[Math.round((k * last) / (wanted - 1))]!);
}

/**
 * `record` within ENTRY_BYTES (`budget` for tests): unchanged, sharing its arrays, when it fits;
 * else its first particles in every frame, and, only when MIN_POINTS of them still do not fit,
 * frames spread evenly from the first to the last.
 */
export function snapshotTrajectory(
  record: TrajectoryRecord,
  budget = ENTRY_BYTES,
): TrajectorySnapshot {
  const { frames } = record;
  const ofPoints = Math.min(...frames.map((frame) => frame.points.count));
  const bytes = frames.reduce(
    (total, frame) => total + cloudBytes(frame.points) + cloudBytes(frame.x0hat),
    0,
  );
  const images = cloudImageLayout(frames[0]?.points) !== undefined;
  const full = {
    points: ofPoints,
    ofPoints,
    frames: frames.length,
    ofFrames: frames.length,
    images,
  };
  if (bytes <= budget || frames.length === 0 || ofPoints === 0) return { record, kept: full };

  // Every frame's x̃ and (from step 1) x̂₀ have one row per point.
  const bytesPerPoint = bytes / ofPoints;
  const floor = Math.min(ofPoints, images ? MIN_IMAGES : MIN_POINTS);
  const points = Math.max(floor, Math.min(ofPoints, Math.floor(budget / bytesPerPoint)));
  const perFrame = bytesPerPoint / frames.length;
  const frameCount = Math.max(2, Math.min(frames.length, Math.floor(budget / (perFrame * points))));
  const kept = spreadFrames(frames, frameCount).map((frame) => ({
    ...frame,
    points: thinCloud(frame.points, points),
    ...(frame.x0hat ? { x0hat: thinCloud(frame.x0hat, points) } : {}),
  }));
  return {
    record: { ...record, frames: kept },
    kept: { points, ofPoints, frames: kept.length, ofFrames: frames.length, images },
  };
}

/** "kept 1300 of 2000 points, every step" when the entry was thinned; undefined when whole. */
export function describeKept(kept: KeptSize): string | undefined {
  if (kept.points >= kept.ofPoints && kept.frames >= kept.ofFrames) return undefined;
  const points = `${kept.points} of ${kept.ofPoints} ${kept.images ? 'images' : 'points'}`;
  const frames =
    kept.frames >= kept.ofFrames ? 'every step' : `${kept.frames} of ${kept.ofFrames} frames`;
  return `kept ${points}, ${frames} (history keeps at most ${ENTRY_BYTES / 1024 ** 2} MiB a run)`;
}
