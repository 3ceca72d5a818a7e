// Builds the Electron application menu from menu-template.ts: command items send their
// MenuCommand to the focused window on the one typed channel; the rest are Electron roles.
import { BrowserWindow, Menu, type MenuItemConstructorOptions } from 'electron';
import { MENU_COMMAND_CHANNEL, type MenuCommand } from './ipc-channels';
import { menuTemplate, type MenuItemSpec, type MenuOptions } from './menu-template';

export interface MenuActions {
  clearRecent(): void;
  about(): void;
}

export function sendMenuCommand(window: BrowserWindow, command: MenuCommand): void {
  window.webContents.send(MENU_COMMAND_CHANNEL, command);
}

function toElectronItem(item: MenuItemSpec, actions: MenuActions): MenuItemConstructorOptions {
  if ('type' in item) return { type: 'separator' };
  if ('submenu' in item) {
    return { label: item.label, submenu: item.submenu.map((sub) => toElectronItem(sub, actions)) };
  }
  if ('role' in item) return { role: item.role, label: item.label, accelerator: item.accelerator };
  if ('action' in item) {
    const action = item.action === 'about' ? actions.about : actions.clearRecent;
    return { label: item.label, enabled: item.enabled ?? true, click: () => action() };
  }
  return {
    label: item.label,
    accelerator: item.accelerator,
    enabled: item.enabled ?? true,
    click: () => {
      const target = BrowserWindow.getFocusedWindow();
      if (target) sendMenuCommand(target, item.send);
    },
  };
}

export function installApplicationMenu(options: MenuOptions, actions: MenuActions): void {
  const template = menuTemplate(options).map((menu): MenuItemConstructorOptions => ({
    label: menu.label,
    submenu: menu.submenu.map((item) => toElectronItem(item, actions)),
  }));
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
