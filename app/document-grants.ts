// What each window's document lets its renderer touch on disk. A grant belongs to one window and
// one document: opening or saving a graph through a dialog replaces it, and it is dropped when the
// window shows another document or closes. Nothing accumulates across documents or windows, so a
// hostile graph opened later cannot reach a folder the user opened earlier.
import { realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { graphNameForImage } from '../graph-nodes/core/png-graph';
import { realPathOf } from '../graph-nodes/runtime/confined-files';
import type { DocumentState } from './ipc-channels';

export interface DocumentGrant {
  /** The document's file as the renderer knows it: the path graph:open or graph:save returned. */
  readonly documentPath: string;
  /** The name the renderer shows (and reports) for this document. */
  readonly documentName: string;
  /** Real path of the folder the document's files are read from (and weights written to). */
  readonly folder: string;
  /** Trained weights may be written into `folder`; never for a graph carried in a PNG. */
  readonly writable: boolean;
  /** Real path that graph:save may overwrite without a dialog; none for a PNG. */
  readonly savePath?: string;
  /** Aborted when the grant is dropped: reads still running for the document stop. */
  readonly signal: AbortSignal;
}

/** The last part of a path, split the way the renderer splits it (on / and \). */
export function fileNameOf(path: string): string {
  return path.split(/[\\/]/u).at(-1) ?? path;
}

/** The folder part of a path, as the renderer's documentFolder computes it. */
export function folderOf(path: string): string {
  return path.replace(/[\\/][^\\/]*$/u, '');
}

/**
 * Whether the document the renderer reports is the one `grant` was given for. Its name must match;
 * when the renderer also reports its document's folder (null for none on disk), that must match
 * too, which tells apart two documents of the same name.
 */
export function isGrantedDocument(grant: DocumentGrant, state: DocumentState): boolean {
  if (state.name !== grant.documentName) return false;
  return state.folder === undefined || state.folder === folderOf(grant.documentPath);
}

interface Held {
  readonly grant: DocumentGrant;
  readonly controller: AbortController;
}

export class DocumentGrants<W> {
  private readonly held = new Map<W, Held>();

  /** A graph file opened or saved through a dialog: reads and weights in its folder, save over it. */
  async grantGraphFile(window: W, path: string): Promise<void> {
    const [folder, savePath] = await Promise.all([realpath(dirname(path)), realPathOf(path)]);
    this.replace(window, {
      documentPath: path,
      documentName: fileNameOf(path),
      folder,
      writable: true,
      savePath,
    });
  }

  /** A graph carried in a PNG: files beside the image are readable; nothing is writable. */
  async grantImage(window: W, path: string): Promise<void> {
    const folder = await realpath(dirname(path));
    this.replace(window, {
      documentPath: path,
      documentName: graphNameForImage(fileNameOf(path)),
      folder,
      writable: false,
    });
  }

  get(window: W): DocumentGrant | undefined {
    return this.held.get(window)?.grant;
  }

  /** The renderer reports its document (on every change of name or unsaved state). */
  documentReported(window: W, state: DocumentState): void {
    const held = this.held.get(window);
    if (held && !isGrantedDocument(held.grant, state)) this.drop(window);
  }

  /** The window closed, or shows a document this grant was not given for. */
  drop(window: W): void {
    this.held.get(window)?.controller.abort(new Error('the document was closed'));
    this.held.delete(window);
  }

  private replace(window: W, grant: Omit<DocumentGrant, 'signal'>): void {
    this.drop(window);
    const controller = new AbortController();
    this.held.set(window, { grant: { ...grant, signal: controller.signal }, controller });
  }
}
