/**
 * JSON text that is plain ASCII (SPEC.md k.1): what the CLI prints with --json and the files
 * the hosts write (baselines, traces), and a value an error echoes (shownValue). One
 * implementation for core/, cli/ and host/.
 */

/** JSON text with every non-ASCII character written as a \u escape, surrogate pairs for astral characters. */
export function asciiJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The most characters of a value an error echoes; a longer one is cut and its length said. */
export const SHOWN_VALUE_MAX = 60;

/**
 * A value as an error echoes it: quoted, so spaces and an empty string show; a character
 * outside ASCII as its \u escape, so a full-width `\uff17` is not printed as a plain 7 (k.1);
 * cut after SHOWN_VALUE_MAX characters with `...` and its length, so a pasted file or a runaway
 * variable does not fill the terminal: `"aaaa"... (5000 characters)`.
 */
export function shownValue(value: string): string {
  const chars = [...value];
  if (chars.length <= SHOWN_VALUE_MAX) return asciiJson(value);
  return `${asciiJson(chars.slice(0, SHOWN_VALUE_MAX).join(''))}... (${chars.length} characters)`;
}
