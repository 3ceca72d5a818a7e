// A right-click menu with submenus, for the canvas and its nodes. It works from the keyboard as a
// menu should (arrows move, → and Enter open a submenu, ← goes back, Enter picks, Escape closes)
// and closes when anything outside it is pressed.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import './context-menu.css';

export interface MenuItem {
  /** Names the item in tests: data-testid="menu-item-ID". */
  readonly id: string;
  readonly label: string;
  /** A shortcut that does the same, shown on the right. */
  readonly hint?: string;
  /** A tooltip (a node type's description). */
  readonly title?: string;
  readonly disabled?: boolean;
  /** A check mark: the item is a toggle that is on. */
  readonly checked?: boolean;
  /** A colour square before the label. */
  readonly swatch?: string;
  /** A submenu. */
  readonly items?: readonly MenuItem[];
  readonly onPick?: () => void;
}

export interface ScreenPoint {
  readonly x: number;
  readonly y: number;
}

const EDGE_GAP = 4;

/** The menu at `at` (window coordinates), drawn above everything. */
export function ContextMenu({
  items,
  at,
  label,
  onClose,
}: {
  items: readonly MenuItem[];
  at: ScreenPoint;
  label: string;
  onClose: () => void;
}) {
  const layer = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const returnFocus = document.activeElement as HTMLElement | null;
    const outside = (event: Event) => {
      if (!layer.current?.contains(event.target as Node)) closeRef.current();
    };
    const close = () => closeRef.current();
    document.addEventListener('pointerdown', outside, true);
    document.addEventListener('wheel', outside, true);
    window.addEventListener('blur', close);
    window.addEventListener('resize', close);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      document.removeEventListener('wheel', outside, true);
      window.removeEventListener('blur', close);
      window.removeEventListener('resize', close);
      if (returnFocus?.isConnected && layer.current?.contains(document.activeElement)) {
        returnFocus.focus({ preventScroll: true });
      }
    };
  }, []);

  return createPortal(
    <div
      className="context-menu-layer"
      ref={layer}
      onContextMenu={(event) => event.preventDefault()}
    >
      <MenuList
        items={items}
        at={at}
        label={label}
        testId="context-menu"
        autoFocus
        onClose={onClose}
      />
    </div>,
    document.body,
  );
}

function enabledIndices(items: readonly MenuItem[]): number[] {
  return items.flatMap((item, index) => (item.disabled ? [] : [index]));
}

function MenuList({
  items,
  at,
  label,
  testId,
  autoFocus,
  onClose,
  onBack,
  beside,
}: {
  items: readonly MenuItem[];
  at: ScreenPoint;
  label: string;
  testId: string;
  /** Focus the first item on opening (opened from the keyboard, or the top menu). */
  autoFocus: boolean;
  onClose: () => void;
  /** ← in a submenu: back to the item that opened it. */
  onBack?: () => void;
  /** The opening item's left edge: a submenu that does not fit on the right goes left of it. */
  beside?: number;
}) {
  const enabled = enabledIndices(items);
  const [active, setActive] = useState(autoFocus ? (enabled[0] ?? -1) : -1);
  const [open, setOpen] = useState<{ index: number; focus: boolean } | null>(null);
  const [position, setPosition] = useState(at);
  const list = useRef<HTMLDivElement>(null);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  // Keep the whole menu on screen.
  useLayoutEffect(() => {
    const box = list.current?.getBoundingClientRect();
    if (!box) return;
    let { x, y } = at;
    if (x + box.width > window.innerWidth - EDGE_GAP) {
      x =
        beside !== undefined
          ? beside - box.width
          : Math.max(EDGE_GAP, window.innerWidth - EDGE_GAP - box.width);
    }
    if (y + box.height > window.innerHeight - EDGE_GAP) {
      y = Math.max(EDGE_GAP, window.innerHeight - EDGE_GAP - box.height);
    }
    setPosition({ x: Math.max(EDGE_GAP, x), y });
  }, [at, beside]);

  useEffect(() => {
    if (active >= 0 && !open?.focus) buttons.current[active]?.focus({ preventScroll: true });
  }, [active, open]);

  const openSubmenu = (index: number, focus: boolean) => {
    if (items[index]?.items && !items[index]?.disabled) setOpen({ index, focus });
  };

  const pick = (index: number) => {
    const item = items[index];
    if (!item || item.disabled) return;
    if (item.items) {
      openSubmenu(index, true);
      return;
    }
    onClose();
    item.onPick?.();
  };

  const move = (step: 1 | -1) => {
    if (enabled.length === 0) return;
    const at = enabled.indexOf(active);
    const next =
      at < 0 ? (step > 0 ? 0 : enabled.length - 1) : (at + step + enabled.length) % enabled.length;
    setOpen(null);
    setActive(enabled[next]!);
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    // The menu has the keyboard: no editor shortcut fires while it is open.
    event.stopPropagation();
    if (event.key === 'Tab') {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    switch (event.key) {
      case 'ArrowDown':
        return move(1);
      case 'ArrowUp':
        return move(-1);
      case 'Home':
        setOpen(null);
        return setActive(enabled[0] ?? -1);
      case 'End':
        setOpen(null);
        return setActive(enabled.at(-1) ?? -1);
      case 'ArrowRight':
        return openSubmenu(active, true);
      case 'ArrowLeft':
        return onBack?.();
      case 'Enter':
      case ' ':
        return pick(active);
      case 'Escape':
        return onClose();
    }
  };

  const openItem = open ? buttons.current[open.index] : null;
  const openBox = openItem?.getBoundingClientRect();

  return (
    <div
      className="context-menu"
      role="menu"
      aria-label={label}
      data-testid={testId}
      ref={list}
      style={{ left: position.x, top: position.y }}
      onKeyDown={onKeyDown}
    >
      {items.map((item, index) => (
        <button
          key={item.id}
          type="button"
          ref={(element) => {
            buttons.current[index] = element;
          }}
          role={item.checked !== undefined ? 'menuitemcheckbox' : 'menuitem'}
          aria-checked={item.checked}
          aria-haspopup={item.items ? 'menu' : undefined}
          aria-expanded={item.items ? open?.index === index : undefined}
          aria-disabled={item.disabled || undefined}
          tabIndex={index === active ? 0 : -1}
          className={`context-menu-item${index === active ? ' active' : ''}${
            item.disabled ? ' disabled' : ''
          }`}
          data-testid={`menu-item-${item.id}`}
          title={item.title}
          onMouseEnter={() => {
            if (item.disabled) return;
            setActive(index);
            if (item.items) openSubmenu(index, false);
            else setOpen(null);
          }}
          onClick={() => pick(index)}
        >
          <span className="context-menu-check" aria-hidden>
            {item.checked ? '✓' : ''}
          </span>
          {item.swatch !== undefined && (
            <span
              className={`context-menu-swatch${item.swatch ? '' : ' none'}`}
              style={item.swatch ? { background: item.swatch } : undefined}
              aria-hidden
            />
          )}
          <span className="context-menu-label">{item.label}</span>
          {item.hint && <span className="context-menu-hint">{item.hint}</span>}
          {item.items && (
            <span className="context-menu-arrow" aria-hidden>
              ▸
            </span>
          )}
        </button>
      ))}
      {open && openBox && items[open.index]?.items && (
        <MenuList
          key={open.index}
          items={items[open.index]!.items!}
          at={{ x: openBox.right - 2, y: openBox.top - 5 }}
          beside={openBox.left + 2}
          label={items[open.index]!.label}
          testId={`context-submenu-${items[open.index]!.id}`}
          autoFocus={open.focus}
          onClose={onClose}
          onBack={() => {
            setOpen(null);
            buttons.current[open.index]?.focus({ preventScroll: true });
          }}
        />
      )}
    </div>
  );
}
