// The training loss as it falls, as a uPlot chart that takes each report in place.
import { useMemo } from 'react';
import { UPlotChart } from '../charts/UPlotChart';
import type { TrainingProgress } from '../engine/engine-protocol';
import { lossChartOptions, lossSeries } from './loss-chart';

interface LossCurveProps {
  readonly progress: readonly TrainingProgress[];
  readonly steps: number;
  readonly width: number;
  readonly height: number;
}

export function LossCurve({ progress, steps, width, height }: LossCurveProps) {
  const options = useMemo(() => lossChartOptions(steps), [steps]);
  const data = useMemo(() => lossSeries(progress), [progress]);
  const first = progress[0];
  const last = progress.at(-1);
  return (
    <UPlotChart
      className="loss-curve"
      testId="loss-curve"
      options={options}
      data={data}
      width={width}
      height={height}
      label={
        first && last
          ? `training loss from ${first.loss.toPrecision(3)} at step ${first.step} to ${last.loss.toPrecision(3)} at step ${last.step}`
          : 'training loss (no steps yet)'
      }
    />
  );
}
