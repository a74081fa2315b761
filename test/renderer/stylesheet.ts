/**
 * The renderer's stylesheet read as text, for tests of widths that happy-dom does not lay out:
 * a rule's declarations, lengths in px, and the width a screen gets in a window.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const css = readFileSync(resolve(import.meta.dirname, '../../renderer/styles.css'), 'utf8');

/** The :root font-size in px. */
export const REM = 14;

/** A classic scrollbar's width in px (the page's, or a scroller's own). */
export const SCROLLBAR = 15;

/** The declarations of the stylesheet's rule for `selector`, exactly as written before its `{`. */
export function ruleOf(selector: string): string {
  return new RegExp(`(?:^|\\n)${selector.replace(/[.[\]'>]/g, (c) => `\\${c}`)} \\{([^}]*)\\}`).exec(css)?.[1] ?? '';
}

/** A length ("4.5rem", "12px") in px; NaN for anything else. */
export function px(v: string): number {
  return Number(/^([\d.]+)(rem|px)$/.exec(v)?.[1] ?? NaN) * (v.endsWith('rem') ? REM : 1);
}

/** The first length of `property` in a rule's declarations, in px ("border: 1px solid" -> 1). */
export function lengthOf(rule: string, property: string): number {
  return px(new RegExp(`(?:^|\\s)${property}:\\s*([\\d.]+(?:px|rem))`).exec(rule)?.[1] ?? '');
}

/** A screen's width in a window `windowWidth` px wide: less the page's scrollbar, the navigation and the main area's side padding. */
export function screenWidth(windowWidth: number): number {
  return windowWidth - SCROLLBAR - lengthOf(ruleOf('.app-nav'), 'width') - 2 * px(/padding:\s*\S+ ([\d.]+px)/.exec(ruleOf('.app-main'))?.[1] ?? '');
}
