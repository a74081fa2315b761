/**
 * A number field's text as the form reads it. The fields are text inputs: a browser's number
 * input gives the page an empty value for text it cannot parse ("0,3", "1e"), which a form
 * would read as "not given" and run with the default; the text as typed lets the form say it
 * is no number instead. Only plain decimal notation counts as a number (no hex, no
 * "Infinity"), as a person reads the field.
 */

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
