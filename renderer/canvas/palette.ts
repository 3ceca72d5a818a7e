// Colours users learn to read: one per value type (ports and wires), one per node kind (cards).
import type { NodeKind, ValueType } from '../../graph-nodes';

export const VALUE_TYPE_COLOURS: Record<ValueType, string> = {
  samples: '#4cc9f0',
  dataset: '#7b9cff',
  schedule: '#f4a261',
  timesteps: '#e9c46a',
  denoiser: '#b388ff',
  classifier: '#ff6b6b',
  flowmap: '#ff7aa8',
  trajectory: '#59d499',
  metrics: '#c0c6d4',
  coupling: '#f28482',
};

export const NODE_KIND_COLOURS: Record<NodeKind, string> = {
  prior: '#4cc9f0',
  schedule: '#f4a261',
  timesteps: '#e9c46a',
  denoiser: '#b388ff',
  guidance: '#ff9f6b',
  solver: '#59d499',
  flowmap: '#ff7aa8',
  transport: '#f28482',
  data: '#7b9cff',
  io: '#9aa3b5',
  analysis: '#c0c6d4',
};

export const UNKNOWN_COLOUR = '#ef5350';
