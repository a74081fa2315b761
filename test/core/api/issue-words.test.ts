/**
 * zod's issues in words (core/api/issue-words.ts), as the CLI's flags and the app's commands say
 * them: the values a choice takes, a number's bounds, an empty or missing value; and the host's
 * dispatcher, which refuses a command's input with them (message and details).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueWords } from '../../../core/api/issue-words';
import { dispatch } from '../../../host/dispatcher';
import type { HostContext } from '../../../host/handler-types';

const wordsOf = (schema: z.ZodType, value: unknown): string => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a refusal');
  return issueWords(r.error.issues[0]!);
};

describe('issueWords', () => {
  it.each<[string, z.ZodType, unknown, string]>([
    ['a value outside a choice', z.enum(['online', 'offline', 'synthetic']), 'carrier-pigeon', 'expected one of "online", "offline" or "synthetic"'],
    ['a value outside a two-way choice', z.enum(['merge', 'replace']), 'x', 'expected one of "merge" or "replace"'],
    ['text for a number', z.number(), 'abc', 'expected a number'],
    ['a number below its bound', z.number().int().min(0), -3, 'must be at least 0'],
    ['a number above its bound', z.number().max(1), 1.5, 'must be at most 1'],
    ['a number above an exclusive bound', z.number().lt(1), 1, 'must be less than 1'],
    ['a whole number beyond 2^53', z.number().int(), 1e20, 'is too large'],
    ['a fraction for a whole number', z.number().int(), 1.5, 'expected a whole number'],
    ['an empty string', z.string().min(1), '', 'must not be empty'],
    ['a string too long', z.string().max(3), 'abcd', 'must be at most 3 characters'],
    ['an empty list', z.array(z.string()).min(1), [], 'needs at least 1 value(s)'],
    ['a missing value', z.object({ portfolioId: z.string() }), {}, 'is required'],
    ["a schema's own message", z.string().max(3, 'too long for a symbol; use at most 3 letters'), 'abcd', 'too long for a symbol; use at most 3 letters'],
  ])('%s', (_, schema, value, words) => {
    expect(wordsOf(schema, value)).toBe(words);
  });
});

describe('the dispatcher refuses an input with the words', () => {
  // Validation comes before any handler: no database is needed.
  const ctx = {} as HostContext;

  it('names the field and says what is wrong, in the message and in each detail issue', async () => {
    const r = await dispatch('getFactorExposures', { portfolioId: '' }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'usage', message: 'getFactorExposures: portfolioId: must not be empty' } });
    const missing = await dispatch('getFactorExposures', {}, ctx);
    expect(missing).toMatchObject({ ok: false, error: { message: 'getFactorExposures: portfolioId: is required', details: { issues: [{ path: ['portfolioId'], message: 'is required' }] } } });
  });
});
