// Bottom bar: which tfjs backend computes (always visible, per the design) and which execution
// provider ONNX models use, how the last run went, and where its time and NFE went.
import { useEffect, useState } from 'react';
import { useRunStore, type BackendState } from '../run/run-store';
import { formatDuration } from './format-duration';

interface BackendDescription {
  readonly text: string;
  readonly detail: string;
  readonly onnx?: string;
  readonly exact?: { readonly text: string; readonly detail: string };
}

function describeBackend(backend: BackendState): BackendDescription {
  switch (backend.phase) {
    case 'starting':
      return { text: 'starting…', detail: 'trying webgpu, webgl, wasm, cpu in turn' };
    case 'failed':
      return { text: 'unavailable', detail: backend.message };
    case 'ready':
      return {
        text: backend.report.active,
        detail:
          backend.report.skipped.map((s) => `${s.name}: ${s.reason}`).join('\n') || 'first choice',
        onnx: backend.report.onnx,
        exact: {
          text:
            backend.report.exactDenoisers.on === 'device'
              ? `on ${backend.report.active}`
              : 'CPU float64',
          detail: `Exact denoisers (empirical, GMM) compute ${
            backend.report.exactDenoisers.on === 'device'
              ? 'as float32 kernels on the device, with the rows float32 cannot settle redone in float64 on the CPU'
              : 'in float64 on the CPU'
          }: ${backend.report.exactDenoisers.why}`,
        },
      };
  }
}

export function StatusBar() {
  const backend = useRunStore((state) => state.backend);
  const phase = useRunStore((state) => state.phase);
  const totalMs = useRunStore((state) => state.totalMs);
  const error = useRunStore((state) => state.error);
  const nodes = useRunStore((state) => state.nodes);
  const { text, detail, onnx, exact } = describeBackend(backend);

  const unconnected = useRunStore((state) => state.unconnected);
  let status: string;
  if (unconnected && phase !== 'running')
    status = `auto-run waits: ${unconnected.length} input${unconnected.length === 1 ? '' : 's'} not connected yet`;
  else if (phase === 'idle') status = 'ready';
  else if (phase === 'running') status = 'running…';
  else if (phase === 'done') status = `done in ${formatDuration(totalMs ?? 0)}`;
  else if (phase === 'cancelled') status = 'cancelled';
  else status = `failed: ${error ?? 'unknown error'}`;

  const totalNfe = Object.values(nodes).reduce((sum, node) => sum + (node.nfe ?? 0), 0);
  // A long error stays one line in the bar; its whole text opens in a panel above it.
  const [errorOpen, setErrorOpen] = useState(false);
  useEffect(() => setErrorOpen(false), [error]);

  return (
    <footer className="status-bar">
      {errorOpen && error && (
        <div
          className="status-error-panel"
          role="dialog"
          aria-label="Run error"
          data-testid="run-error-panel"
        >
          <pre>{error}</pre>
          <button type="button" onClick={() => setErrorOpen(false)} aria-label="Close the error">
            ×
          </button>
        </div>
      )}
      <span className="status-item" title={detail}>
        backend <strong data-testid="backend">{text}</strong>
      </span>
      {onnx && (
        <span className="status-item" title="onnxruntime-web execution provider for ONNX models">
          ONNX <strong data-testid="onnx-provider">{onnx}</strong>
        </span>
      )}
      {exact && (
        <span className="status-item" title={exact.detail}>
          exact denoisers <strong data-testid="exact-denoisers">{exact.text}</strong>
        </span>
      )}
      <span
        className={`status-item run-${unconnected && phase !== 'running' ? 'waiting' : phase}`}
        data-testid="run-status"
        data-phase={phase}
        title={error}
      >
        {status}
        {totalNfe > 0 && phase !== 'running' ? ` · ${totalNfe} NFE` : ''}
      </span>
      {phase === 'failed' && error && (
        <button
          type="button"
          className="status-error-toggle"
          data-testid="run-error-details"
          aria-expanded={errorOpen}
          onClick={() => setErrorOpen((open) => !open)}
        >
          {errorOpen ? 'hide' : 'details'}
        </button>
      )}
      <span className="status-item timings" data-testid="node-timings">
        {Object.entries(nodes).map(([id, node]) => (
          <span key={id} className={`timing ${node.phase}`}>
            {id}{' '}
            {node.phase === 'cached'
              ? 'cached'
              : node.ms !== undefined
                ? formatDuration(node.ms)
                : node.phase === 'running' && node.steps
                  ? `${node.step}/${node.steps}`
                  : node.phase}
            {node.nfe ? ` (${node.nfe} NFE)` : ''}
          </span>
        ))}
      </span>
    </footer>
  );
}
