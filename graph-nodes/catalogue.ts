// Every node type Principia ships, in the order the library shows them.
import { createCatalogue } from './core/catalogue';
import type { AnyNodeDefinition } from './core/node-definition';
import loadNpy from './nodes/data/load-npy';
import toyData2d from './nodes/data/toy-data-2d';
import empiricalDenoiser from './nodes/denoiser/empirical';
import gmmDenoiser from './nodes/denoiser/gmm';
import saveNpy from './nodes/io/save-npy';
import gaussianPrior from './nodes/prior/gaussian-prior';
import edmSchedule from './nodes/schedule/edm';
import rectifiedFlowSchedule from './nodes/schedule/rectified-flow';
import veSchedule from './nodes/schedule/ve';
import vpLinearSchedule from './nodes/schedule/vp-linear';
import solver from './nodes/solver/solver';
import karrasTimesteps from './nodes/timesteps/karras';
import uniformTimesteps from './nodes/timesteps/uniform';

const definitions = [
  gaussianPrior,
  edmSchedule,
  veSchedule,
  vpLinearSchedule,
  rectifiedFlowSchedule,
  karrasTimesteps,
  uniformTimesteps,
  gmmDenoiser,
  empiricalDenoiser,
  solver,
  toyData2d,
  loadNpy,
  saveNpy,
] as unknown as readonly AnyNodeDefinition[];

export const catalogue = createCatalogue(definitions);
