/**
 * JSON columns read back from the database are parsed with zod (SPEC.md 0.4). A value that is
 * not JSON or does not fit the schema reads as null: a view shows "no data" rather than fail.
 */
import type { z } from 'zod';

export function parseJsonColumn<S extends z.ZodType>(text: unknown, schema: S): z.output<S> | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const r = schema.safeParse(raw);
  return r.success ? r.data : null;
}
