// Which colour is which value type, for ports and wires.
import { Panel } from '@xyflow/react';
import { VALUE_TYPES } from '../../graph-nodes/core/values';
import { VALUE_TYPE_COLOURS } from './palette';

export function TypeLegend() {
  return (
    <Panel position="top-left" className="type-legend" data-testid="type-legend">
      {VALUE_TYPES.map((type) => (
        <span key={type} className="legend-item">
          <span className="legend-dot" style={{ background: VALUE_TYPE_COLOURS[type] }} />
          {type}
        </span>
      ))}
    </Panel>
  );
}
