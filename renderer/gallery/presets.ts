// The bundled presets: every presets/*.graph.json, read at build time, so the gallery works with
// no file access. A preset that fails to load still gets a card, which says why.
import { parseGraphText, type GraphDocument } from '../../graph-nodes';
import { DEFAULT_PRESET_FILE } from '../graph/default-preset';

const presetTexts = import.meta.glob<string>('../../presets/*.graph.json', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export interface Preset {
  /** The file name, e.g. "two-moons-empirical.graph.json". */
  readonly fileName: string;
  readonly title: string;
  /** The description's first sentence: one line on the card. */
  readonly summary: string;
  readonly description: string;
  readonly document: GraphDocument | undefined;
  readonly error?: string;
}

/** The first sentence, so a card's line says what the preset is about without wrapping. */
export function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(\s|$)/su.exec(text.trim());
  return (match?.[1] ?? text).trim();
}

function toPreset(path: string, text: string): Preset {
  const fileName = path.split('/').at(-1)!;
  try {
    const document = parseGraphText(text, `presets/${fileName}`);
    const description = document.description ?? '';
    return {
      fileName,
      title: document.title ?? fileName.replace(/\.graph\.json$/, ''),
      summary: firstSentence(description),
      description,
      document,
    };
  } catch (error) {
    return {
      fileName,
      title: fileName,
      summary: 'This preset cannot be loaded.',
      description: '',
      document: undefined,
      error: (error as Error).message,
    };
  }
}

const defaultFileName = DEFAULT_PRESET_FILE.split('/').at(-1);

/** The default preset first, then by title. */
export const PRESETS: readonly Preset[] = Object.entries(presetTexts)
  .map(([path, text]) => toPreset(path, text))
  .sort((a, b) =>
    a.fileName === defaultFileName
      ? -1
      : b.fileName === defaultFileName
        ? 1
        : a.title.localeCompare(b.title),
  );
