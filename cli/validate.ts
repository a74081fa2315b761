/**
 * zod parsing at the CLI boundary: a failure is a usage error (exit 2, SPEC.md k.1, k.3) naming
 * the flag. A value a usage error echoes is written by shownValue, cut to a readable length.
 */
import type { z } from 'zod';
import { shownValue } from '../core/api/ascii-json';
import { usageError } from '../core/api/errors';
import { issueWords } from '../core/api/issue-words';

const FLAG_NAMES: Record<string, string> = {
  startDate: '--start-date',
  endDate: '--end-date',
  targetDate: '--target-date',
  marketData: '--market-data',
  phases: '--phase',
  portfolios: '--portfolio',
};

export function parseOrUsage<S extends z.ZodType>(schema: S, value: unknown, command: string, flagName?: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = issue.path.length ? String(issue.path[0]) : '';
  const flag = flagName ?? FLAG_NAMES[key] ?? (key ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : command);
  let shown: unknown = value;
  for (const k of issue.path) shown = shown !== null && typeof shown === 'object' ? (shown as Record<string | number, unknown>)[k as string | number] : undefined;
  // A required flag left out: zod says "expected string, received undefined"; say it plainly.
  const message = shown === undefined && issue.code === 'invalid_type' ? 'this flag is required' : issueWords(issue);
  throw usageError(`${refusal(flag, shown, message)} (see \`batchdesk ${command} --help\`)`);
}

/**
 * The flag, the value given and what is wrong with it. A schema's message that starts with a
 * flag is a whole sentence already (`--end-date 2026-11-10 is before --start-date 2026-11-20`,
 * `--resume cannot be combined with ...`): it stands alone, so the flag and its value are not
 * said twice, nor a value the user never typed (a bare `--resume` is "latest").
 */
function refusal(flag: string, shown: unknown, message: string): string {
  if (message.startsWith('--')) return message;
  // A switch is named, not echoed: "--dry-run true" reads as a value the user never typed.
  const echoed = typeof shown === 'string' ? ` ${shownValue(shown)}` : shown !== undefined && typeof shown !== 'object' && typeof shown !== 'boolean' ? ` ${JSON.stringify(shown)}` : '';
  return `${flag}${echoed}: ${message}`;
}
