// The dock's export buttons: the view as PNG (with the graph inside), the trajectory as .npy,
// the run as GIF. A failure is shown the way file errors are.
import type { TrajectoryRecord } from '../run/run-store';
import { showFileMessage } from '../files/file-store';
import type { DataBounds } from '../preview/plot-view';
import { usePreviewStore } from '../preview/preview-store';
import type { Backdrop } from '../preview/scene-drawing';
import { exportRunGif, exportTrajectoryNpy, exportViewPng, type ExportSource } from './export-view';

interface ExportButtonsProps {
  readonly record: TrajectoryRecord | undefined;
  readonly index: number;
  readonly bounds: DataBounds;
  readonly backdrop: Backdrop;
  /** Whether every step has arrived (the .npy and GIF are of a whole run). */
  readonly complete: boolean;
}

function attempt(title: string, action: () => void | Promise<void>): void {
  const report = (error: unknown) =>
    showFileMessage({
      kind: 'error',
      title,
      text: error instanceof Error ? error.message : String(error),
    });
  try {
    void Promise.resolve(action()).catch(report);
  } catch (error) {
    report(error);
  }
}

export function ExportButtons({ record, index, bounds, backdrop, complete }: ExportButtonsProps) {
  const source = (): ExportSource => ({
    record: record!,
    index,
    bounds,
    backdrop,
    layers: usePreviewStore.getState().layers,
  });
  const none = !record || record.frames.length === 0;
  return (
    <div className="preview-tools" role="group" aria-label="Export">
      <button
        disabled={none}
        data-testid="export-png"
        title="Save this view as PNG; the graph is stored inside, so opening the PNG restores it"
        onClick={() => attempt('Cannot export the PNG', () => exportViewPng(source()))}
      >
        PNG
      </button>
      <button
        disabled={none || !complete}
        data-testid="export-npy"
        title="Save the whole trajectory as .npy: [frames, points, dims] float32"
        onClick={() =>
          attempt('Cannot export the trajectory', () => exportTrajectoryNpy(record!.nodeId))
        }
      >
        .npy
      </button>
      <button
        disabled={none || !complete}
        data-testid="export-gif"
        title="Save the run as an animated GIF, one frame per step"
        onClick={() =>
          attempt('Cannot export the GIF', () =>
            exportRunGif(source(), usePreviewStore.getState().fps),
          )
        }
      >
        GIF
      </button>
    </div>
  );
}
