// A node card's curve (a schedule's α, σ and log-SNR, a timestep list's σ̃), drawn by uPlot with
// no axes: a glance at the shape, the numbers being in the inspector.
import { memo, useMemo } from 'react';
import {
  SCHEDULE_THUMBNAIL,
  scheduleThumbnailData,
  TIMESTEPS_THUMBNAIL,
  timestepsThumbnailData,
  type SchedulePreview,
} from './curve-thumbnails';
import { UPlotChart } from './UPlotChart';

export type CurvePreview =
  | ({ readonly kind: 'schedule' } & SchedulePreview)
  | { readonly kind: 'timesteps'; readonly sigmaTilde: Float64Array };

interface CurveThumbnailProps {
  readonly preview: CurvePreview;
  readonly width: number;
  readonly height: number;
  readonly label: string;
}

function CurveThumbnailView({ preview, width, height, label }: CurveThumbnailProps) {
  const data = useMemo(
    () =>
      preview.kind === 'schedule'
        ? scheduleThumbnailData(preview)
        : timestepsThumbnailData(preview.sigmaTilde),
    [preview],
  );
  return (
    <UPlotChart
      className="thumbnail"
      options={preview.kind === 'schedule' ? SCHEDULE_THUMBNAIL : TIMESTEPS_THUMBNAIL}
      data={data}
      width={width}
      height={height}
      label={label}
    />
  );
}

export const CurveThumbnail = memo(CurveThumbnailView);
