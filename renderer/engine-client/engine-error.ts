/** A failed command, in the contract's one error shape { code, message, details }. */
import { z } from 'zod';
import type { ErrorShape } from '../../core/api/errors';
import { withAppTimes } from '../ui/format';

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

/** A command the engine's message quotes in backquotes (`batchdesk cancel --db x.db`): it stays verbatim. */
const QUOTED = /(`[^`]*`)/;

/**
 * The engine's message with the flags of its prose (--end-date) named by the form's labels of
 * their fields (endDate), and its timestamps as the app shows times (a lock refusal's "since").
 * A quoted command keeps every flag: it is pasted as printed. A flag the
 * form has no label for reads as its field in words ("target date") in a usage error, which is
 * about the input the form sent (`inputFlags`); elsewhere it is CLI advice, no field of the form
 * (--db, --ignore-gate), and keeps its name.
 */
function inFormWords(message: string, labels: FieldLabels, inputFlags = false): string {
  const word = (flag: string, name: string): string => {
    const field = name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    return inputFlags ? labelOf(field, labels) : (labels[field] ?? flag);
  };
  return message
    .split(QUOTED)
    .map((part) => (part.startsWith('`') ? part : withAppTimes(part.replace(FLAG, word))))
    .join('');
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
    return /--[a-z]/.test(message) || !field ? inFormWords(message, labels, true) : `${labelOf(field, labels)}: ${message}`;
  }
  return inFormWords(err.message, labels, true);
}

/** A message that starts with a file name or path (`prices.csv line 3: ...`, `/data/x.db: ...`). */
const FILE_NAME_FIRST = /^[^\s:]*[./\\]/;

/**
 * What happened, for the title of an expected refusal: another process holds the database
 * (`locked`), the regression gate is closed (`gate_closed`). Null for any other error.
 */
export function refusalTitle(err: unknown): string | null {
  if (!(err instanceof EngineError)) return null;
  if (err.code === 'locked') return 'The database is busy';
  if (err.code === 'gate_closed') return 'The regression gate is closed';
  return null;
}

/**
 * A human line for an error of any kind, in the words of the form that sent the command
 * (`labels`, keyed by the contract's field names): flags and field names become the form's
 * labels, and a usage error loses its command-name prefix and its code (the message says
 * what to change), a data error its code (the message says what is wrong with the input, e.g.
 * a CSV row), and an expected refusal (refusalTitle) its code (the message names the holder
 * or the gate, and what to do). Other engine errors keep their code in parentheses.
 */
export function errorText(err: unknown, labels: FieldLabels = {}): string {
  if (err instanceof EngineError) {
    const bare = err.code === 'data' || refusalTitle(err) !== null;
    const text = err.code === 'usage' ? usageText(err, labels) : bare ? inFormWords(err.message, labels) : `${inFormWords(err.message, labels)} (${err.code})`;
    // A sentence starts with a capital; a file name or path that starts the message stays as it is.
    return FILE_NAME_FIRST.test(text) ? text : text.charAt(0).toUpperCase() + text.slice(1);
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
