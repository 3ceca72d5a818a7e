// The complete list of messages between the renderer and the main process. Main registers a
// handler for each invoke channel and preload exposes one function per channel, so both are checked
// against these maps; there is no way to use a channel that is not listed here.

export interface OpenedGraphFile {
  readonly path: string;
  readonly text: string;
  /** The graph came out of a PNG exported from the preview: open it as unsaved, never save over it. */
  readonly fromImage?: boolean;
}

export interface SaveGraphRequest {
  readonly text: string;
  /** Save over this file without asking; omit to show a save dialog. */
  readonly path?: string;
  /** Name proposed by the save dialog. */
  readonly suggestedName?: string;
  /** "export" writes a copy: the dialog says so, and the file does not join the recent list. */
  readonly purpose?: 'save' | 'export';
}

/** The unsaved document as autosave last wrote it; offered back after a crash. */
export interface RecoveryEntry {
  /** ISO 8601 time of the autosave. */
  readonly savedAt: string;
  /** Where the document came from, for the offer's wording (a file name or a preset). */
  readonly source: string;
  /** The graph document's text. */
  readonly text: string;
}

/** What the renderer reports after every change: the title bar and the close prompt follow it. */
export interface DocumentState {
  readonly name: string;
  readonly dirty: boolean;
  /**
   * The folder the document's relative paths resolve in (the renderer's documentFolder), or null
   * when it has none on disk. Main keeps the window's file grants only while the reported document
   * is the one they were given for; the name alone cannot tell two same-named documents apart.
   */
  readonly folder?: string | null;
}

export interface IpcChannelMap {
  'graph:open': { args: []; result: OpenedGraphFile | null };
  /** Opens an entry of File ▸ Open Recent; refuses paths not on that list. */
  'graph:open-recent': { args: [path: string]; result: OpenedGraphFile };
  'graph:save': { args: [request: SaveGraphRequest]; result: { path: string } | null };
  /**
   * Reads a data file (e.g. a .npy) that a graph names, by absolute path: only a regular file whose
   * real path is in the window's document folder or the bundled presets (file-access.ts).
   */
  'file:read': { args: [path: string]; result: Uint8Array };
  /**
   * Writes trained weights (.json/.bin) in the window's document folder, never over a file that
   * holds a graph; not for a graph opened from a PNG.
   */
  'file:write': { args: [path: string, bytes: Uint8Array]; result: void };
  'recovery:read': { args: []; result: RecoveryEntry | null };
  'recovery:write': { args: [entry: RecoveryEntry]; result: void };
  'recovery:clear': { args: []; result: void };
  'document:state': { args: [state: DocumentState]; result: void };
  /** The renderer has saved or discarded the changes main asked about: the window may close. */
  'window:close-confirmed': { args: []; result: void };
}

export type IpcChannel = keyof IpcChannelMap;
export type IpcArgs<C extends IpcChannel> = IpcChannelMap[C]['args'];
export type IpcResult<C extends IpcChannel> = IpcChannelMap[C]['result'];

export const IPC_CHANNELS = [
  'graph:open',
  'graph:open-recent',
  'graph:save',
  'file:read',
  'file:write',
  'recovery:read',
  'recovery:write',
  'recovery:clear',
  'document:state',
  'window:close-confirmed',
] as const satisfies readonly IpcChannel[];

/** Commands the native menus (and the window's close button) send to the renderer. */
export type MenuCommand =
  | { readonly command: 'file:new' }
  | { readonly command: 'file:open' }
  | { readonly command: 'file:open-recent'; readonly path: string }
  | { readonly command: 'file:save' }
  | { readonly command: 'file:save-as' }
  | { readonly command: 'file:export-json' }
  | { readonly command: 'edit:undo' }
  | { readonly command: 'edit:redo' }
  | { readonly command: 'view:presets' }
  | { readonly command: 'run:run' }
  | { readonly command: 'run:cancel' }
  /** The user closed a window whose document has unsaved changes. */
  | { readonly command: 'window:close' };

export type MenuCommandName = MenuCommand['command'];

/** The one channel main sends on; its payload is always a MenuCommand. */
export const MENU_COMMAND_CHANNEL = 'menu:command';

/** What preload exposes as `window.principia`. */
export interface PrincipiaDesktopApi {
  readonly platform: string;
  openGraphFile(): Promise<OpenedGraphFile | null>;
  openRecentGraphFile(path: string): Promise<OpenedGraphFile>;
  saveGraphFile(request: SaveGraphRequest): Promise<{ path: string } | null>;
  readFile(path: string): Promise<Uint8Array>;
  writeDataFile(path: string, bytes: Uint8Array): Promise<void>;
  readRecovery(): Promise<RecoveryEntry | null>;
  writeRecovery(entry: RecoveryEntry): Promise<void>;
  clearRecovery(): Promise<void>;
  reportDocumentState(state: DocumentState): Promise<void>;
  confirmWindowClose(): Promise<void>;
  /** Calls `listener` for every menu command; returns a function that stops listening. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}
