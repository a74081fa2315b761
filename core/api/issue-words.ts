/**
 * zod's validation issues in a user's words, for every boundary that validates input (the CLI's
 * flags, the commands the app and the browser mode send): "Invalid option: expected one of
 * \"a\"|\"b\"" or "Too big: expected int to be <=9007199254740991" say little to a user.
 * Also a number schema's whole range in words, for a refusal that says what is accepted.
 */
import { z } from 'zod';

type Issue = z.ZodError['issues'][number];

/** The values a field takes, as a sentence: `"a", "b" or "c"`. */
function oneOf(values: readonly unknown[]): string {
  const words = values.map((v) => JSON.stringify(v));
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : (words[0] ?? '');
}

const isNumeric = (origin: string): boolean => origin === 'number' || origin === 'int' || origin === 'bigint';

/**
 * The numbers a schema takes, in words: "a whole number from 1 to 36500", "a number > 0 and
 * <= 5", "a whole number >= 1", read from the schema so the words and the check cannot
 * disagree (the same words as a setting's range, core/engine/settings.ts). zod writes a bare
 * whole number's range as the safe-integer limits, which are no bound here.
 */
export function numberRangeWords(schema: z.ZodType<number>): string {
  const j = z.toJSONSchema(schema, { io: 'input' }) as { type?: string; minimum?: number; exclusiveMinimum?: number; maximum?: number; exclusiveMaximum?: number };
  const kind = j.type === 'integer' ? 'a whole number' : 'a number';
  const min = j.minimum !== undefined && j.minimum > Number.MIN_SAFE_INTEGER ? j.minimum : undefined;
  const max = j.maximum !== undefined && j.maximum < Number.MAX_SAFE_INTEGER ? j.maximum : undefined;
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  const low = min !== undefined ? `>= ${min}` : j.exclusiveMinimum !== undefined ? `> ${j.exclusiveMinimum}` : null;
  const high = max !== undefined ? `<= ${max}` : j.exclusiveMaximum !== undefined ? `< ${j.exclusiveMaximum}` : null;
  const range = [low, high].filter((p) => p !== null).join(' and ');
  return range ? `${kind} ${range}` : kind;
}

/** zod's own messages ("Too big: ...", "Invalid option: ..."); a schema's own message stays as it is. */
const ZOD_DEFAULT = /^(Too (big|small)|Invalid( [a-z]+)?):/;

/** What is wrong with the value, in words; a schema's own message, or zod's for an issue without words here. */
export function issueWords(issue: Issue): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_value') return `expected one of ${oneOf(issue.values)}`;
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'expected a number';
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'expected a whole number';
  if (issue.code === 'too_small' && isNumeric(issue.origin)) return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && isNumeric(issue.origin)) {
    // A whole number beyond 2^53 - 1 (zod's safe-integer bound) is too large for any field here.
    return Number(issue.maximum) >= Number.MAX_SAFE_INTEGER ? 'is too large' : `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `needs at least ${String(issue.minimum)} characters`;
  if (issue.code === 'too_big' && issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
  if (issue.code === 'too_small' && (issue.origin === 'array' || issue.origin === 'set')) return `needs at least ${String(issue.minimum)} value(s)`;
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return 'is required';
  return issue.message;
}
