// The subset of Electron's API the shell uses, typed here because Electron is an optional
// dependency whose install (and so its bundled electron.d.ts) fails on machines that cannot
// download its binary. Signatures match Electron 45; where Electron is installed its own
// declarations are equivalent for everything used below.
declare module 'electron' {
  interface WebPreferences {
    preload?: string;
    contextIsolation?: boolean;
    sandbox?: boolean;
    nodeIntegration?: boolean;
    nodeIntegrationInWorker?: boolean;
    webSecurity?: boolean;
    allowRunningInsecureContent?: boolean;
    webviewTag?: boolean;
    navigateOnDragDrop?: boolean;
    spellcheck?: boolean;
  }
  interface Rectangle {
    x: number;
    y: number;
    width: number;
    height: number;
  }
  interface BrowserWindowConstructorOptions {
    x?: number;
    y?: number;
    width?: number;
    height?: number;
    minWidth?: number;
    minHeight?: number;
    title?: string;
    show?: boolean;
    backgroundColor?: string;
    webPreferences?: WebPreferences;
  }
  interface HandlerDetails {
    url: string;
  }
  interface WebContents {
    id: number;
    setWindowOpenHandler(handler: (details: HandlerDetails) => { action: 'deny' | 'allow' }): void;
    on(
      event: 'will-navigate',
      listener: (event: { preventDefault(): void }, url: string) => void,
    ): this;
    getURL(): string;
    send(channel: string, ...args: unknown[]): void;
  }
  class BrowserWindow {
    constructor(options?: BrowserWindowConstructorOptions);
    readonly webContents: WebContents;
    loadURL(url: string): Promise<void>;
    show(): void;
    close(): void;
    maximize(): void;
    isMaximized(): boolean;
    isDestroyed(): boolean;
    getNormalBounds(): Rectangle;
    setTitle(title: string): void;
    setDocumentEdited(edited: boolean): void;
    once(event: 'ready-to-show', listener: () => void): this;
    on(event: 'close', listener: (event: { preventDefault(): void }) => void): this;
    on(event: 'closed' | 'resize' | 'move' | 'maximize' | 'unmaximize', listener: () => void): this;
    static getAllWindows(): BrowserWindow[];
    static getFocusedWindow(): BrowserWindow | null;
    static fromWebContents(webContents: WebContents): BrowserWindow | null;
  }
  interface OnHeadersReceivedListenerDetails {
    url: string;
    responseHeaders?: Record<string, string[]>;
  }
  interface WebRequest {
    onHeadersReceived(
      listener: (
        details: OnHeadersReceivedListenerDetails,
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ): void;
  }
  interface Session {
    readonly webRequest: WebRequest;
    setPermissionRequestHandler(
      handler: (
        webContents: WebContents,
        permission: string,
        callback: (granted: boolean) => void,
      ) => void,
    ): void;
  }
  const session: { readonly defaultSession: Session };
  interface FileFilter {
    name: string;
    extensions: string[];
  }
  interface OpenDialogReturnValue {
    canceled: boolean;
    filePaths: string[];
  }
  interface SaveDialogReturnValue {
    canceled: boolean;
    filePath?: string;
  }
  interface MessageBoxOptions {
    type?: 'none' | 'info' | 'error' | 'question' | 'warning';
    title?: string;
    message: string;
    detail?: string;
    buttons?: string[];
  }
  const dialog: {
    showMessageBox(
      window: BrowserWindow,
      options: MessageBoxOptions,
    ): Promise<{ response: number }>;
    showOpenDialog(
      window: BrowserWindow,
      options: { title?: string; filters?: FileFilter[]; properties?: 'openFile'[] },
    ): Promise<OpenDialogReturnValue>;
    showSaveDialog(
      window: BrowserWindow,
      options: { title?: string; defaultPath?: string; filters?: FileFilter[] },
    ): Promise<SaveDialogReturnValue>;
  };
  interface IpcMainInvokeEvent {
    readonly sender: WebContents;
    readonly senderFrame: { readonly url: string } | null;
  }
  const ipcMain: {
    handle(
      channel: string,
      listener: (event: IpcMainInvokeEvent, ...args: never[]) => Promise<unknown> | unknown,
    ): void;
  };
  interface IpcRendererEvent {
    readonly senderId: number;
  }
  const ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): void;
    removeListener(
      channel: string,
      listener: (event: IpcRendererEvent, ...args: unknown[]) => void,
    ): void;
  };
  const contextBridge: {
    exposeInMainWorld(apiKey: string, api: unknown): void;
  };
  const shell: {
    openExternal(url: string): Promise<void>;
  };
  const app: {
    readonly isPackaged: boolean;
    whenReady(): Promise<void>;
    on(event: 'window-all-closed' | 'activate', listener: () => void): void;
    quit(): void;
    getPath(name: 'userData'): string;
    getVersion(): string;
    addRecentDocument(path: string): void;
    clearRecentDocuments(): void;
  };
  type MenuItemRole = string;
  interface MenuItemConstructorOptions {
    label?: string;
    accelerator?: string;
    role?: MenuItemRole;
    type?: 'normal' | 'separator' | 'submenu';
    enabled?: boolean;
    click?: () => void;
    submenu?: MenuItemConstructorOptions[];
  }
  class Menu {
    static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
    static setApplicationMenu(menu: Menu | null): void;
  }
  interface Display {
    readonly workArea: Rectangle;
  }
  const screen: {
    getPrimaryDisplay(): Display;
    getAllDisplays(): Display[];
  };
  interface CustomScheme {
    scheme: string;
    privileges?: {
      standard?: boolean;
      secure?: boolean;
      supportFetchAPI?: boolean;
      stream?: boolean;
    };
  }
  const protocol: {
    registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  const net: {
    fetch(input: string, init?: RequestInit): Promise<Response>;
  };
}
