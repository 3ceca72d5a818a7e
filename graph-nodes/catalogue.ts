// Every node type Principia ships, in the order the library shows them.
import metrics from './nodes/analysis/metrics';
import compare from './nodes/analysis/compare';
import elbo from './nodes/analysis/elbo';
import logLikelihood from './nodes/analysis/log-likelihood';
import { createCatalogue } from './core/catalogue';
import type { AnyNodeDefinition } from './core/node-definition';
import fashionMnist from './nodes/data/fashion-mnist';
import loadNpy from './nodes/data/load-npy';
import toyData2d from './nodes/data/toy-data-2d';
import empiricalDenoiser from './nodes/denoiser/empirical';
import gmmDenoiser from './nodes/denoiser/gmm';
import labelledEmpiricalDenoiser from './nodes/denoiser/labelled-empirical';
import labelledGmmDenoiser from './nodes/denoiser/labelled-gmm';
import mlpDenoiser from './nodes/denoiser/mlp';
import onnxDenoiser from './nodes/denoiser/onnx';
import exactClassifier from './nodes/classifier/exact-classifier';
import empiricalClassifier from './nodes/classifier/empirical-classifier';
import autoguidance from './nodes/guidance/autoguidance';
import cfg from './nodes/guidance/cfg';
import cfgPp from './nodes/guidance/cfg-pp';
import cfgRescale from './nodes/guidance/cfg-rescale';
import classifierGuidance from './nodes/guidance/classifier-guidance';
import guidanceInterval from './nodes/guidance/guidance-interval';
import saveImageGrid from './nodes/io/save-image-grid';
import saveNpy from './nodes/io/save-npy';
import gaussianPrior from './nodes/prior/gaussian-prior';
import edmSchedule from './nodes/schedule/edm';
import rectifiedFlowSchedule from './nodes/schedule/rectified-flow';
import veSchedule from './nodes/schedule/ve';
import vpLinearSchedule from './nodes/schedule/vp-linear';
import vpCosineSchedule from './nodes/schedule/vp-cosine';
import ddpmSchedule from './nodes/schedule/ddpm';
import solver from './nodes/solver/solver';
import consistencyFlowmap from './nodes/flowmap/consistency';
import ctmFlowmap from './nodes/flowmap/ctm';
import flowmapSampler from './nodes/flowmap/sampler';
import gaussianFlowmap from './nodes/flowmap/gaussian';
import meanflowFlowmap from './nodes/flowmap/meanflow';
import teacherFlowmap from './nodes/flowmap/teacher';
import entropicOt from './nodes/transport/entropic-ot';
import exactOt from './nodes/transport/exact-ot';
import schrodingerBridge from './nodes/transport/schrodinger-bridge';
import karrasTimesteps from './nodes/timesteps/karras';
import uniformTimesteps from './nodes/timesteps/uniform';
import exponentialTimesteps from './nodes/timesteps/exponential';
import polyexponentialTimesteps from './nodes/timesteps/polyexponential';
import sgmUniformTimesteps from './nodes/timesteps/sgm-uniform';
import simpleTimesteps from './nodes/timesteps/simple';
import ddimUniformTimesteps from './nodes/timesteps/ddim-uniform';
import betaTimesteps from './nodes/timesteps/beta';
import klOptimalTimesteps from './nodes/timesteps/kl-optimal';

const definitions = [
  gaussianPrior,
  edmSchedule,
  veSchedule,
  vpLinearSchedule,
  rectifiedFlowSchedule,
  vpCosineSchedule,
  ddpmSchedule,
  karrasTimesteps,
  uniformTimesteps,
  exponentialTimesteps,
  polyexponentialTimesteps,
  sgmUniformTimesteps,
  simpleTimesteps,
  ddimUniformTimesteps,
  betaTimesteps,
  klOptimalTimesteps,
  gmmDenoiser,
  empiricalDenoiser,
  labelledGmmDenoiser,
  labelledEmpiricalDenoiser,
  mlpDenoiser,
  onnxDenoiser,
  exactClassifier,
  empiricalClassifier,
  cfg,
  cfgPp,
  guidanceInterval,
  cfgRescale,
  autoguidance,
  classifierGuidance,
  solver,
  gaussianFlowmap,
  teacherFlowmap,
  consistencyFlowmap,
  ctmFlowmap,
  meanflowFlowmap,
  flowmapSampler,
  entropicOt,
  exactOt,
  schrodingerBridge,
  toyData2d,
  fashionMnist,
  loadNpy,
  saveNpy,
  saveImageGrid,
  metrics,
  compare,
  logLikelihood,
  elbo,
] as unknown as readonly AnyNodeDefinition[];

export const catalogue = createCatalogue(definitions);
