// The files presets name (data sets, trained weights, ONNX models) served at presets/… beside the
// app, so a preset opened in the browser or the desktop shell reads them the way the CLI reads
// them beside the preset file: the dev server answers them from presets/, a build copies them.
// A data file that is not there is a 404 from the dev server and `vite preview` alike, never the
// single-page-app fallback (index.html, status 200) that a node would try to parse.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, relative, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';

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

/** The data file a request under /presets/ names, or undefined for any other request. */
function requestedDataFile(request: Connect.IncomingMessage): string | undefined {
  let url: string;
  try {
    url = decodeURIComponent((request.url ?? '').split('?')[0] ?? '');
  } catch {
    return undefined; // malformed percent-encoding: vite answers it
  }
  if (!url.startsWith(URL_PREFIX)) return undefined;
  const name = url.slice(URL_PREFIX.length);
  const served =
    SERVED_EXTENSIONS.some((extension) => name.endsWith(extension)) &&
    !name.endsWith('.graph.json');
  return served ? name : undefined;
}

function answerNotFound(response: ServerResponse, name: string): void {
  response.statusCode = 404;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.end(`file not found: presets/${name}`);
}

export function presetFilesPlugin(presetsFolder: string): Plugin {
  let builtFolder: string | undefined;
  return {
    name: 'principia:preset-files',
    configResolved(config) {
      builtFolder = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const name = requestedDataFile(request);
        if (name === undefined) return next();
        if (!presetDataFiles(presetsFolder).includes(name)) {
          // Another file of that name (a graph, a source file) is vite's to serve.
          if (existsSync(join(presetsFolder, name))) return next();
          return answerNotFound(response, name);
        }
        response.setHeader('Content-Type', 'application/octet-stream');
        response.end(readFileSync(join(presetsFolder, name)));
      });
    },
    configurePreviewServer(server) {
      // The build copied the files into presets/ of the output folder; the static server answers
      // those, and everything else would get index.html.
      server.middlewares.use((request, response, next) => {
        const name = requestedDataFile(request);
        if (name === undefined || builtFolder === undefined) return next();
        if (existsSync(join(builtFolder, 'presets', name))) return next();
        answerNotFound(response, name);
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
