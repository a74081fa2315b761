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

/** A selector as a regular expression that matches it literally ("+", "(" and "." included). */
const escaped = (selector: string): string => selector.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);

/** The declarations of the stylesheet's rule for `selector`, exactly as written before its `{`. */
export function ruleOf(selector: string): string {
  return new RegExp(`(?:^|\\n)${escaped(selector)} \\{([^}]*)\\}`).exec(css)?.[1] ?? '';
}

/** A length ("4.5rem", "12px") in px; NaN for anything else. */
export function px(v: string): number {
  return Number(/^([\d.]+)(rem|px)$/.exec(v)?.[1] ?? NaN) * (v.endsWith('rem') ? REM : 1);
}

/** The first length of `property` in a rule's declarations, in px ("border: 1px solid" -> 1). */
export function lengthOf(rule: string, property: string): number {
  return px(new RegExp(`(?:^|\\s)${property}:\\s*([\\d.]+(?:px|rem))`).exec(rule)?.[1] ?? '');
}

/**
 * The declarations of the rule for `selector` inside the stylesheet's `@media (max-width: Npx)`
 * blocks that apply in a window `windowWidth` px wide (empty when none does).
 */
export function mediaRuleOf(selector: string, windowWidth: number): string {
  const blocks = [...css.matchAll(/@media \(max-width: (\d+)px\) \{([\s\S]*?)\n\}/g)].filter((m) => windowWidth <= Number(m[1]));
  const rule = new RegExp(`\\n\\s*${escaped(selector)} \\{([^}]*)\\}`);
  return blocks.map((m) => rule.exec(m[2]!)?.[1] ?? '').join('');
}

/**
 * A screen's width in a window `windowWidth` px wide: less the page's scrollbar, the navigation
 * and the main area's side padding (a narrow window's, where a media rule narrows them).
 */
export function screenWidth(windowWidth: number): number {
  const nav = lengthOf(mediaRuleOf('.app-nav', windowWidth), 'width') || lengthOf(ruleOf('.app-nav'), 'width');
  const side = lengthOf(mediaRuleOf('.app-main', windowWidth), 'padding-inline') || px(/padding:\s*\S+ ([\d.]+px)/.exec(ruleOf('.app-main'))?.[1] ?? '');
  return windowWidth - SCROLLBAR - nav - 2 * side;
}
