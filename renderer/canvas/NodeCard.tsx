// One node on the canvas: kind colour, title, typed ports (with handles), params at a glance,
// and how its last run went. A node of a type this catalogue lacks is a "missing node" card that
// still shows its params and wires.
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { toggleCollapsed } from '../editor/commands';
import { editorState } from '../editor/editor-store';
import { paramProblems } from '../graph/param-problems';
import { useRunStore, type NodeRunState } from '../run/run-store';
import type { NodeCardNode, PortView } from './flow-elements';
import { formatParamValue } from './format-param';
import { measureTitleText, overviewPortName, overviewTitle, useDetailLevel } from './legible-zoom';
import { MetricsReadout } from './MetricsReadout';
import { NodePreview, PREVIEWED_TYPES } from './NodePreview';
import { NODE_KIND_COLOURS, UNKNOWN_COLOUR, VALUE_TYPE_COLOURS } from './palette';
import { portFactLines } from './port-hover';
import './node-card.css';
import { sameCardProps } from './same-card-props';

const MAX_PARAMS_SHOWN = 6;

function portColour(port: PortView): string {
  const first = port.types[0];
  return first ? VALUE_TYPE_COLOURS[first] : UNKNOWN_COLOUR;
}

interface PortProps {
  nodeId: string;
  port: PortView;
  side: 'input' | 'output';
}

function showPortFacts({ nodeId, port, side }: PortProps, event: React.MouseEvent): void {
  // Only on a plain hover: with a button held the pointer is dragging something across the port.
  if (event.buttons !== 0) return;
  const fact =
    side === 'output' ? useRunStore.getState().portFacts[nodeId]?.[port.name] : undefined;
  editorState.setHover({
    title: `${nodeId}.${port.name}`,
    lines: portFactLines(port, side, fact),
    screen: { x: event.clientX, y: event.clientY },
  });
}

const hidePortFacts = () => editorState.setHover(null);

function PortHandle({ nodeId, port, side }: PortProps) {
  const colour = portColour(port);
  return (
    <Handle
      type={side === 'input' ? 'target' : 'source'}
      position={side === 'input' ? Position.Left : Position.Right}
      id={port.name}
      style={{ background: colour, borderColor: colour }}
      data-testid={`port-${nodeId}-${side}-${port.name}`}
    />
  );
}

function PortName({ name }: { name: string }) {
  const level = useDetailLevel((state) => state.level);
  const shown = level.overview ? overviewPortName(name, level.scale) : name;
  return (
    <span className="port-name" title={shown === name ? undefined : name}>
      {shown}
    </span>
  );
}

function NodeTitle({ title, children }: { title: string; children: React.ReactNode }) {
  const level = useDetailLevel((state) => state.level);
  const shown = level.overview ? overviewTitle(title, level.scale, measureTitleText) : title;
  return (
    <span className="node-title" title={shown === title ? undefined : title}>
      {children}
      {shown}
    </span>
  );
}

function PortRow(props: PortProps) {
  const { port, side } = props;
  const colour = portColour(port);
  return (
    <div
      className={`port port-${side}`}
      data-port={port.name}
      onMouseEnter={(event) => showPortFacts(props, event)}
      onMouseLeave={hidePortFacts}
    >
      <PortHandle {...props} />
      <PortName name={port.name} />
      {/* The dot's colour already says the type; spell it out only when the name does not. */}
      {port.types[0] !== port.name && (
        // Dimmed by colour, not opacity: an opacity per port is another paint chunk per frame.
        <span
          className="port-type"
          style={{ color: `color-mix(in srgb, ${colour} 85%, transparent)` }}
        >
          {port.types[0] ?? '?'}
        </span>
      )}
    </div>
  );
}

/** A collapsed card's ports: dots down the header's edge, where its wires attach. */
function HeaderPorts({
  nodeId,
  ports,
  side,
}: {
  nodeId: string;
  ports: readonly PortView[];
  side: 'input' | 'output';
}) {
  return (
    <div className={`header-ports header-ports-${side}`}>
      {ports.map((port) => (
        <div
          key={port.name}
          className="header-port"
          data-port={port.name}
          onMouseEnter={(event) => showPortFacts({ nodeId, port, side }, event)}
          onMouseLeave={hidePortFacts}
        >
          <PortHandle nodeId={nodeId} port={port} side={side} />
        </div>
      ))}
    </div>
  );
}

function CollapseToggle({ nodeId, collapsed }: { nodeId: string; collapsed: boolean }) {
  return (
    <button
      type="button"
      className="node-collapse nodrag"
      aria-label={collapsed ? 'expand node' : 'collapse node'}
      aria-expanded={!collapsed}
      title={collapsed ? 'Expand' : 'Collapse to the header'}
      data-testid={`collapse-${nodeId}`}
      onClick={() => toggleCollapsed([nodeId])}
    >
      {collapsed ? '▸' : '▾'}
    </button>
  );
}

function RunBadge({ state }: { state: NodeRunState | undefined }) {
  // Its line is kept before the first run too, so that a run does not make the card taller.
  if (!state)
    return (
      <div className="run-badge idle" aria-hidden="true">
        &nbsp;
      </div>
    );
  switch (state.phase) {
    case 'running': {
      const fraction = state.steps ? (state.step ?? 0) / state.steps : undefined;
      return (
        <div className="run-badge running">
          running{state.steps ? ` ${state.step}/${state.steps}` : '…'}
          {fraction !== undefined && (
            <div className="progress">
              <div style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
            </div>
          )}
        </div>
      );
    }
    case 'done':
    case 'cached':
      return (
        <div className={`run-badge ${state.phase}`}>
          {state.phase === 'cached' ? 'cached' : `${(state.ms ?? 0).toFixed(0)} ms`}
          {state.nfe ? ` · ${state.nfe} NFE` : ''}
        </div>
      );
    case 'failed':
      return <div className="run-badge failed">{state.message ?? 'failed'}</div>;
    default:
      return <div className="run-badge">{state.phase}</div>;
  }
}

function NodeCardView({ id, data, selected }: NodeProps<NodeCardNode>) {
  const { instance, definition, inputs, outputs } = data;
  const runState = useRunStore((state) => state.nodes[id]);
  // Auto-run waits for these inputs: said in grey, a graph being built is not a failure.
  const waitingFor = useRunStore((state) =>
    (state.unconnected ?? [])
      .filter((entry) => entry.nodeId === id)
      .map((entry) => entry.port)
      .join(', '),
  );
  const colour = definition ? NODE_KIND_COLOURS[definition.kind] : UNKNOWN_COLOUR;
  const problems = useMemo(
    () => paramProblems(definition, instance.params),
    [definition, instance.params],
  );
  const collapsed = instance.collapsed === true;
  return (
    <div
      className={`node-card${selected ? ' selected' : ''}${definition ? '' : ' missing'}${instance.bypass ? ' bypassed' : ''}${instance.color ? ' tinted' : ''}${collapsed ? ' collapsed' : ''}`}
      style={{ borderTopColor: colour, ...(instance.color && { '--node-tint': instance.color }) }}
      data-testid={`node-${id}`}
      data-type={instance.type}
      data-phase={runState?.phase}
    >
      <header
        style={
          collapsed
            ? ({ '--header-ports': Math.max(inputs.length, outputs.length) } as React.CSSProperties)
            : undefined
        }
      >
        <span className="node-kind" style={{ color: colour }}>
          {definition?.kind ?? 'missing node'}
        </span>
        <NodeTitle title={instance.title ?? definition?.title ?? instance.type}>
          <CollapseToggle nodeId={id} collapsed={collapsed} />
        </NodeTitle>
        <span className="node-id">{id}</span>
        {collapsed && (
          <>
            <HeaderPorts nodeId={id} ports={inputs} side="input" />
            <HeaderPorts nodeId={id} ports={outputs} side="output" />
          </>
        )}
      </header>
      {!collapsed && (
        <CardBody
          id={id}
          data={data}
          problems={problems}
          runState={runState}
          waitingFor={waitingFor}
        />
      )}
    </div>
  );
}

/** Everything below the header: ports with their names, params, problems, preview, run line. */
function CardBody({
  id,
  data,
  problems,
  runState,
  waitingFor,
}: {
  id: string;
  data: NodeCardNode['data'];
  problems: ReadonlyMap<string, string>;
  runState: NodeRunState | undefined;
  waitingFor: string;
}) {
  const { instance, definition, inputs, outputs } = data;
  const params = Object.entries(instance.params);
  return (
    <>
      <div className="ports">
        <div className="port-column">
          {inputs.map((port) => (
            <PortRow key={port.name} nodeId={id} port={port} side="input" />
          ))}
        </div>
        <div className="port-column outputs">
          {outputs.map((port) => (
            <PortRow key={port.name} nodeId={id} port={port} side="output" />
          ))}
        </div>
      </div>
      {params.length > 0 && (
        <dl className="params">
          {params.slice(0, MAX_PARAMS_SHOWN).map(([name, value]) => (
            <div
              key={name}
              className={problems.has(name) ? 'invalid' : undefined}
              title={problems.get(name)}
              data-invalid={problems.has(name) || undefined}
            >
              <dt>{name}</dt>
              <dd>{formatParamValue(value)}</dd>
            </div>
          ))}
          {params.length > MAX_PARAMS_SHOWN && (
            <div className="more">+{params.length - MAX_PARAMS_SHOWN} more</div>
          )}
        </dl>
      )}
      {problems.size > 0 && (
        <div className="run-badge failed" data-testid={`param-problems-${id}`}>
          {[...problems].map(([name, message]) => `${name}: ${message}`).join('; ')}
        </div>
      )}
      {!definition && (
        <div className="run-badge failed" data-testid="missing-node">
          missing node: type "{instance.type}" is not in this catalogue; its params and wires are
          kept
        </div>
      )}
      <NodePreview
        nodeId={id}
        reserve={outputs.some((port) => port.types.some((type) => PREVIEWED_TYPES.has(type)))}
      />
      {outputs.some((port) => port.types.includes('metrics')) && <MetricsReadout nodeId={id} />}
      {waitingFor && (
        <div className="run-badge waiting" data-testid={`unconnected-${id}`}>
          not connected yet: {waitingFor}
        </div>
      )}
      <RunBadge state={runState} />
    </>
  );
}

export const NodeCard = memo(NodeCardView, sameCardProps);
