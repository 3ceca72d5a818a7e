// Entry point: pick the engine's backend (optionally forced with ?backend=wasm, and where exact
// denoisers compute with ?exact=device|cpu) and mount the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import {
  BACKEND_PREFERENCE,
  EXACT_DENOISER_PLACEMENTS,
  type BackendName,
} from './engine/engine-protocol';
import { useGraphStore } from './graph/graph-store';
import { claimFirstLaunch } from './run/launch-marker';
import { chooseBackend, placeExactDenoisers, runGraph } from './run/run-controller';
import './styles/app.css';

const query = new URLSearchParams(window.location.search);
const requested = query.get('backend');
const preferredBackend = BACKEND_PREFERENCE.find((name): name is BackendName => name === requested);
const placement = EXACT_DENOISER_PLACEMENTS.find((name) => name === query.get('exact'));
if (placement) placeExactDenoisers(placement);

void chooseBackend(preferredBackend);
// A new user's first screen is the default graph's finished trajectory, not an empty preview.
if (claimFirstLaunch()) void runGraph(useGraphStore.getState().document);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App preferredBackend={preferredBackend} />
  </StrictMode>,
);
