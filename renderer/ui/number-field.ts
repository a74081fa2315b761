/**
 * A number field's text as the form reads it. The fields are text inputs: a browser's number
 * input gives the page an empty value for text it cannot parse ("0,3", "1e"), which a form
 * would read as "not given" and run with the default; the text as typed lets the form say it
 * is no number instead. Only plain decimal notation counts as a number (no hex, no
 * "Infinity"), as a person reads the field.
 */
import type { z } from 'zod';

export type NumberFieldValue = { readonly kind: 'empty' } | { readonly kind: 'number'; readonly value: number } | { readonly kind: 'not_a_number'; readonly text: string };

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function readNumberField(text: string): NumberFieldValue {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  return DECIMAL.test(trimmed) ? { kind: 'number', value: Number(trimmed) } : { kind: 'not_a_number', text: trimmed };
}

/** What a field holding no number says, before what the field takes: '"0,3" is not a number.' */
export function notANumberWords(text: string): string {
  return `"${text}" is not a number.`;
}

/**
 * A number field's value read with the contract's `schema`: undefined when empty (the
 * default, or the setting, applies); else the number, or what is wrong with the text: no
 * number at all, or one the schema does not take (`takes`, what the field takes).
 */
export function fieldNumber(text: string, schema: z.ZodType<number>, takes: string): { value: number | undefined } | { problem: string } {
  const read = readNumberField(text);
  if (read.kind === 'empty') return { value: undefined };
  if (read.kind === 'not_a_number') return { problem: `${notANumberWords(read.text)} ${takes}` };
  const parsed = schema.safeParse(read.value);
  return parsed.success ? { value: parsed.data } : { problem: takes };
}
