/** zod parsing at the CLI boundary: a failure is a usage error (exit 2) naming the flag. */
import type { z } from 'zod';
import { usageError } from '../core/api/errors';

const FLAG_NAMES: Record<string, string> = {
  startDate: '--start-date',
  endDate: '--end-date',
  targetDate: '--target-date',
  chunkDays: '--chunk-days',
  maxMissingMarks: '--max-missing-marks',
  impliedVol: '--implied-vol',
  riskFreeRate: '--risk-free-rate',
  marketData: '--market-data',
  phases: '--phase',
  portfolios: '--portfolio',
};

type Issue = z.ZodError['issues'][number];

/** The values a flag takes, as a sentence: `"a", "b" or "c"`. */
function oneOf(values: readonly unknown[]): string {
  const words = values.map((v) => JSON.stringify(v));
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : (words[0] ?? '');
}

/** zod's messages in the CLI's words ("Invalid option" or "expected number, received NaN" say little to a user). */
function plainMessage(issue: Issue): string {
  if (issue.code === 'invalid_value') return `expected one of ${oneOf(issue.values)}`;
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'expected a number';
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'expected a whole number';
  if (issue.code === 'too_small' && issue.origin === 'number') return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `needs at least ${String(issue.minimum)} characters`;
  if (issue.code === 'too_small' && (issue.origin === 'array' || issue.origin === 'set')) return `needs at least ${String(issue.minimum)} value(s)`;
  return issue.message;
}

export function parseOrUsage<S extends z.ZodType>(schema: S, value: unknown, command: string, flagName?: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = issue.path.length ? String(issue.path[0]) : '';
  const flag = flagName ?? FLAG_NAMES[key] ?? (key ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : command);
  let shown: unknown = value;
  for (const k of issue.path) shown = shown !== null && typeof shown === 'object' ? (shown as Record<string | number, unknown>)[k as string | number] : undefined;
  // A required flag left out: zod says "expected string, received undefined"; say it plainly.
  const message = shown === undefined && issue.code === 'invalid_type' ? 'this flag is required' : plainMessage(issue);
  throw usageError(`${flag}${shown !== undefined && typeof shown !== 'object' ? ` ${JSON.stringify(shown)}` : ''}: ${message} (see \`batchdesk ${command} --help\`)`);
}
