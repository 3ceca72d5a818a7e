// The graph the app opens with, bundled at build time so the app works with no file access.
import presetText from '../../presets/default.graph.json?raw';
import { parseGraphText, type GraphDocument } from '../../graph-nodes';

export const PRESETS_FOLDER = 'presets/';
export const DEFAULT_PRESET_FILE = `${PRESETS_FOLDER}default.graph.json`;

export function loadDefaultPreset(): GraphDocument {
  return parseGraphText(presetText, DEFAULT_PRESET_FILE);
}
