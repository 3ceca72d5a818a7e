// The files presets name (data sets, trained weights, ONNX models) served at presets/… beside the
// app, so a preset opened in the browser or the desktop shell reads them the way the CLI reads
// them beside the preset file: the dev server answers them from presets/, a build copies them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin } from 'vite';

/** What a preset may name: data, weights, models. Graph files are bundled as modules instead. */
const SERVED_EXTENSIONS = ['.npy', '.bin', '.onnx', '.json'];
const URL_PREFIX = '/presets/';

function presetDataFiles(presetsFolder: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (
        SERVED_EXTENSIONS.some((extension) => name.endsWith(extension)) &&
        !name.endsWith('.graph.json')
      ) {
        files.push(relative(presetsFolder, path).split(sep).join('/'));
      }
    }
  };
  walk(presetsFolder);
  return files;
}

export function presetFilesPlugin(presetsFolder: string): Plugin {
  return {
    name: 'principia:preset-files',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const url = decodeURIComponent((request.url ?? '').split('?')[0] ?? '');
        if (!url.startsWith(URL_PREFIX)) return next();
        const name = url.slice(URL_PREFIX.length);
        if (!presetDataFiles(presetsFolder).includes(name)) return next();
        response.setHeader('Content-Type', 'application/octet-stream');
        response.end(readFileSync(join(presetsFolder, name)));
      });
    },
    generateBundle() {
      for (const name of presetDataFiles(presetsFolder)) {
        this.emitFile({
          type: 'asset',
          fileName: `presets/${name}`,
          source: readFileSync(join(presetsFolder, name)),
        });
      }
    },
  };
}
