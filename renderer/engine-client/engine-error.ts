/** A failed command, in the contract's one error shape { code, message, details }. */
import { z } from 'zod';
import type { ErrorShape } from '../../core/api/errors';

export class EngineError extends Error {
  readonly code: ErrorShape['code'];
  readonly details: unknown;

  constructor(shape: ErrorShape) {
    super(shape.message);
    this.name = 'EngineError';
    this.code = shape.code;
    this.details = shape.details;
  }
}

/** A form's words for the contract's field names, e.g. { endDate: 'end date' }. */
export type FieldLabels = Readonly<Record<string, string>>;

/** The input issues the dispatcher attaches to a usage error ("<command>: <field>: <message>"). */
const issuesSchema = z.object({ issues: z.array(z.object({ message: z.string(), path: z.array(z.union([z.string(), z.number()])) })).min(1) });

/** A CLI flag as the engine's messages name it: --end-date. */
const FLAG = /--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)/g;

/** The form's label of a contract field (endDate), else the field name in words ("end date"). */
function labelOf(field: string, labels: FieldLabels): string {
  return labels[field] ?? field.replace(/([A-Z])/g, ' $1').toLowerCase();
}

/** The engine's message with its flags (--end-date) named by the form's labels of their fields (endDate). */
function inFormWords(message: string, labels: FieldLabels): string {
  return message.replace(FLAG, (_, flag: string) => labelOf(flag.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase()), labels));
}

/**
 * The message of a usage error in form words. The dispatcher's message for an input its schema
 * refuses is "<command>: <field>: <issue>"; the issue itself, from the details, is the message.
 */
function usageText(err: EngineError, labels: FieldLabels): string {
  const parsed = issuesSchema.safeParse(err.details);
  if (parsed.success) {
    const { message, path } = parsed.data.issues[0]!;
    const field = path.length > 0 ? String(path[0]) : '';
    // A message that names its flags stands alone; a generic one ("Too small ...") gets its field's label.
    return /--[a-z]/.test(message) || !field ? inFormWords(message, labels) : `${labelOf(field, labels)}: ${message}`;
  }
  return inFormWords(err.message, labels);
}

/** A message that starts with a file name or path (`prices.csv line 3: ...`, `/data/x.db: ...`). */
const FILE_NAME_FIRST = /^[^\s:]*[./\\]/;

/**
 * A human line for an error of any kind, in the words of the form that sent the command
 * (`labels`, keyed by the contract's field names): flags and field names become the form's
 * labels, and a usage error loses its command-name prefix and its code (the message says
 * what to change), a data error its code (the message says what is wrong with the input, e.g.
 * a CSV row). Other engine errors keep their code in parentheses.
 */
export function errorText(err: unknown, labels: FieldLabels = {}): string {
  if (err instanceof EngineError) {
    const text = err.code === 'usage' ? usageText(err, labels) : err.code === 'data' ? inFormWords(err.message, labels) : `${inFormWords(err.message, labels)} (${err.code})`;
    // A sentence starts with a capital; a file name or path that starts the message stays as it is.
    return FILE_NAME_FIRST.test(text) ? text : text.charAt(0).toUpperCase() + text.slice(1);
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
