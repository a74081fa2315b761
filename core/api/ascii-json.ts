/**
 * JSON text that is plain ASCII (SPEC.md k.1): what the CLI prints with --json and the files
 * the hosts write (baselines, traces). One implementation for cli/ and host/.
 */

/** JSON text with every non-ASCII character written as a \u escape, surrogate pairs for astral characters. */
export function asciiJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
