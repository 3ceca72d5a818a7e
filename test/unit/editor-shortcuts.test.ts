// Keys → editor commands, and the help table that lists them.
import { describe, expect, it } from 'vitest';
import { commandForKey, SHORTCUTS, type KeyPress } from '../../renderer/editor/shortcuts';

const press = (key: string, modifiers: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...modifiers,
});

describe('commandForKey', () => {
  it('maps the documented shortcuts', () => {
    expect(commandForKey(press('z', { ctrlKey: true }), false)).toBe('undo');
    expect(commandForKey(press('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo');
    expect(commandForKey(press('y', { ctrlKey: true }), false)).toBe('redo');
    expect(commandForKey(press('z', { metaKey: true }), false)).toBe('undo');
    expect(commandForKey(press('c', { ctrlKey: true }), false)).toBe('copy');
    expect(commandForKey(press('v', { ctrlKey: true }), false)).toBe('paste');
    expect(commandForKey(press('d', { ctrlKey: true }), false)).toBe('duplicate');
    expect(commandForKey(press('a', { ctrlKey: true }), false)).toBe('select-all');
    expect(commandForKey(press('Delete'), false)).toBe('delete');
    expect(commandForKey(press('Backspace'), false)).toBe('delete');
    expect(commandForKey(press('s', { ctrlKey: true }), false)).toBe('save');
    expect(commandForKey(press('o', { ctrlKey: true }), false)).toBe('open');
    expect(commandForKey(press('Enter', { ctrlKey: true }), false)).toBe('run');
    expect(commandForKey(press('f'), false)).toBe('fit');
    expect(commandForKey(press(' '), false)).toBe('quick-add');
    expect(commandForKey(press('?', { shiftKey: true }), false)).toBe('help');
  });

  it('leaves typing alone in text fields, except save, open and run', () => {
    for (const key of ['z', 'c', 'v', 'd', 'a']) {
      expect(commandForKey(press(key, { ctrlKey: true }), true)).toBeNull();
    }
    for (const key of ['Delete', 'Backspace', 'f', 'l', 'L', ' ', '?']) {
      expect(commandForKey(press(key), true)).toBeNull();
    }
    expect(commandForKey(press('s', { ctrlKey: true }), true)).toBe('save');
    expect(commandForKey(press('Enter', { ctrlKey: true }), true)).toBe('run');
  });

  it('ignores plain letters that are not shortcuts and Alt combinations', () => {
    expect(commandForKey(press('q'), false)).toBeNull();
    expect(commandForKey(press('z', { ctrlKey: true, altKey: true }), false)).toBeNull();
  });

  it('every command in the help table is reachable by its listed keys', () => {
    for (const shortcut of SHORTCUTS) {
      const first = shortcut.keys[0]!;
      if (first === 'double-click') continue;
      const parts = first.split('+');
      const key = parts.at(-1)!;
      const keyValue =
        key === 'Space' ? ' ' : key === 'Enter' || key.length > 1 ? key : key.toLowerCase();
      const command = commandForKey(
        press(keyValue, { ctrlKey: parts.includes('Ctrl'), shiftKey: parts.includes('Shift') }),
        false,
      );
      expect(command, first).toBe(shortcut.command);
    }
  });
});
