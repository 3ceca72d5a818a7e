// Where the files a graph names are found in the app: relative to the graph's folder, as the CLI
// finds them; a preset's folder is the bundled presets/.
import { describe, expect, it } from 'vitest';
import { documentFolder, joinPath, resolveDocumentPath } from '../../renderer/files/document-files';
import { useFileStore } from '../../renderer/files/file-store';

describe('joinPath', () => {
  it('joins and folds . and .. in either separator style', () => {
    expect(joinPath('presets/', 'weights/a.json')).toBe('presets/weights/a.json');
    expect(joinPath('/home/me/project', './data/../weights/a.bin')).toBe(
      '/home/me/project/weights/a.bin',
    );
    expect(joinPath('C:\\Users\\me\\project', 'weights\\a.bin')).toBe(
      'C:\\Users\\me\\project\\weights\\a.bin',
    );
    expect(joinPath('presets/', '../shared/x.npy')).toBe('shared/x.npy');
  });
});

describe('documentFolder and resolveDocumentPath', () => {
  it('resolves against the graph file, the bundled presets, or leaves the path alone', () => {
    expect(documentFolder({ kind: 'path', name: 'a.json', path: '/p/q/a.json' })).toBe('/p/q');
    expect(documentFolder({ kind: 'untitled', name: 'x', folder: 'presets/' })).toBe('presets/');
    expect(documentFolder({ kind: 'download', name: 'x' })).toBeUndefined();

    useFileStore.setState({ location: { kind: 'path', name: 'a.json', path: '/p/q/a.json' } });
    expect(resolveDocumentPath('weights/w.json')).toBe('/p/q/weights/w.json');
    expect(resolveDocumentPath('/abs/w.json')).toBe('/abs/w.json');
    useFileStore.setState({ location: { kind: 'untitled', name: 'x', folder: 'presets/' } });
    expect(resolveDocumentPath('data/f.npy')).toBe('presets/data/f.npy');
    useFileStore.setState({ location: { kind: 'untitled', name: 'dropped.json' } });
    expect(resolveDocumentPath('data/f.npy')).toBe('data/f.npy');
  });
});
