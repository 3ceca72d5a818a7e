// A Metrics node's numbers on its card, as the last run measured them: the leading values in
// a small two-column readout ("+n more" shows the rest, and the tooltip lists them all), so a
// slider drag upstream shows its effect on the card at once. Each value carries data-value, for
// tests and tools.
import { memo, useState } from 'react';
import { formatLevel } from '../preview/frame-stats';
import { useRunStore } from '../run/run-store';
import './node-preview.css';

/** Values shown first when present, in this order; the rest follow in the node's own order. */
const LEADING = [
  // A likelihood first where there is one: it is the number a likelihood node or a Metrics node
  // with a denoiser is there for (the sample metrics follow).
  'nll',
  'nll_bound',
  'bits_per_dim',
  'mean_l2',
  'swd',
  'mmd2',
  'nfe',
  'epsilon',
  'transport_cost',
  'entropic_objective',
  'entropy',
  'duality_gap',
  'iterations',
  'kl',
];
/** Rows a card shows (the card must not grow into the nodes laid out below it). */
const MAX_SHOWN = 4;

function MetricsReadoutView({ nodeId }: { nodeId: string }) {
  const values = useRunStore((state) => state.metrics[nodeId]?.values);
  const [expanded, setExpanded] = useState(false);
  if (!values) return null;
  const names = Object.keys(values);
  const ordered = [
    ...LEADING.filter((name) => names.includes(name)),
    ...names.filter((name) => !LEADING.includes(name)),
  ];
  if (ordered.length === 0) return null;
  const shown = expanded ? ordered : ordered.slice(0, MAX_SHOWN);
  const all = ordered.map((name) => `${name} = ${formatLevel(values[name]!)}`).join('\n');
  return (
    <dl className="metrics-readout" title={all} data-testid={`metrics-readout-${nodeId}`}>
      {shown.map((name) => (
        <div key={name} data-name={name} data-value={values[name]}>
          <dt>{name}</dt>
          <dd>{formatLevel(values[name]!)}</dd>
        </div>
      ))}
      {ordered.length > MAX_SHOWN && (
        <button
          type="button"
          className="more nodrag"
          data-testid={`metrics-readout-more-${nodeId}`}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? 'fewer' : `+${ordered.length - shown.length} more`}
        </button>
      )}
    </dl>
  );
}

export const MetricsReadout = memo(MetricsReadoutView);
