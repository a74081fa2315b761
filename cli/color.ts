/**
 * ANSI colour (SPEC.md k.1): only when --color is given and the stream is a terminal, and
 * never while NO_COLOR is set to a non-empty value (no-color.org), not even with --color. The
 * one rule for every coloured output of the CLI; without colour the output is plain ASCII.
 */

export function colorEnabled(flag: boolean, isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env['NO_COLOR'];
  return flag && isTTY && (noColor === undefined || noColor === '');
}

const CODES = { red: 31, green: 32, yellow: 33 } as const;
export type Color = keyof typeof CODES;

/** `text` in `color` when colour is on (then reset to the default colour), else `text` as it is. */
export function paint(on: boolean, color: Color, text: string): string {
  return on ? `\x1b[${CODES[color]}m${text}\x1b[39m` : text;
}
