/**
 * An inline confirmation ("Cancel that run...", "Back up, then purge...", a backup's
 * "Restore...") that keeps the keyboard where the user is: it takes the focus when it opens
 * (its first button), closes on Escape like a dialog, and gives the focus back when it closes,
 * to the trigger that opened it, or, when that is gone or disabled, to a fallback (its panel).
 * A screen with one trigger per row (a backup's Restore...) keys the confirmation by row: the
 * focus goes back to the trigger of the row that was asked about.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';

export interface Confirmation<K> {
  /** The row whose confirmation is open (`true` for a screen's single one), or null. */
  readonly asking: K | null;
  /** Opens the confirmation about `key`. */
  readonly ask: (key: K) => void;
  /** Closes it; the focus goes back once nothing blocks the page (see `blocked`). */
  readonly close: () => void;
  /** The ref for the trigger of `key`: only the trigger of the row asked about last gets it. */
  readonly triggerRef: (key: K) => RefObject<HTMLButtonElement | null> | undefined;
  /** The ref for the confirmation's first button, which takes the focus. */
  readonly firstRef: RefObject<HTMLButtonElement | null>;
  /** The ref for where the focus goes when the trigger is gone or disabled (a panel with tabIndex -1). */
  readonly fallbackRef: RefObject<HTMLElement | null>;
  /** The confirmation's key handler: Escape closes it, unless `blocked`. */
  readonly onKeyDown: (e: KeyboardEvent) => void;
}

/**
 * The state and focus handling of an inline confirmation. `blocked`: the confirmed action runs
 * (its buttons are disabled, or a modal dialog of its progress is up, which keeps the focus):
 * Escape does nothing and the focus goes back only once it is false again.
 */
export function useConfirmation<K = true>(blocked = false): Confirmation<K> {
  const [asking, setAsking] = useState<K | null>(null);
  // The row asked about last: its trigger gets the focus back after the confirmation closes.
  const [last, setLast] = useState<K | null>(null);
  const trigger = useRef<HTMLButtonElement | null>(null);
  const firstRef = useRef<HTMLButtonElement | null>(null);
  const fallbackRef = useRef<HTMLElement | null>(null);
  // Set when the confirmation closes: the focus is owed back, paid once nothing blocks.
  const refocus = useRef(false);
  useEffect(() => {
    if (asking !== null) firstRef.current?.focus();
    else if (refocus.current && !blocked) {
      refocus.current = false;
      const t = trigger.current;
      (t && !t.disabled ? t : fallbackRef.current)?.focus();
    }
  }, [asking, blocked]);
  const close = () => {
    refocus.current = true;
    setAsking(null);
  };
  return {
    asking,
    ask: (key) => {
      setLast(() => key);
      setAsking(() => key);
    },
    close,
    triggerRef: (key) => (key === last ? trigger : undefined),
    firstRef,
    fallbackRef,
    onKeyDown: (e) => {
      if (e.key !== 'Escape' || blocked || asking === null) return;
      e.preventDefault();
      close();
    },
  };
}
