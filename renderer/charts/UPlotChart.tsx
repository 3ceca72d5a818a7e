// One uPlot chart as a React component: made when its options change, fed new data in place (a
// live loss curve redraws without rebuilding the chart), and resized with its box.
import { useEffect, useLayoutEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './charts.css';

export interface UPlotChartProps {
  /** Everything but the size; keep it stable (useMemo): a new object rebuilds the chart. */
  readonly options: Omit<uPlot.Options, 'width' | 'height'>;
  readonly data: uPlot.AlignedData;
  readonly width: number;
  readonly height: number;
  readonly className?: string;
  /** What the chart shows, in words (the canvas itself says nothing to a screen reader). */
  readonly label: string;
  readonly testId?: string;
  /** Hands the chart out (an export draws from it); undefined once it is gone. */
  readonly onChart?: (chart: uPlot | undefined) => void;
}

export function UPlotChart({
  options,
  data,
  width,
  height,
  className,
  label,
  testId,
  onChart,
}: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  // The latest values, read when the chart is rebuilt without making them reasons to rebuild.
  const latest = useRef({ data, width, height, onChart });
  latest.current = { data, width, height, onChart };

  useLayoutEffect(() => {
    const current = latest.current;
    const made = new uPlot(
      { ...options, width: Math.max(1, current.width), height: Math.max(1, current.height) },
      current.data,
      box.current!,
    );
    chart.current = made;
    current.onChart?.(made);
    return () => {
      latest.current.onChart?.(undefined);
      made.destroy();
      chart.current = undefined;
    };
  }, [options]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  useEffect(() => {
    if (width > 0 && height > 0) chart.current?.setSize({ width, height });
  }, [width, height]);

  return (
    <div
      ref={box}
      className={className ? `chart ${className}` : 'chart'}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}
