/**
 * The one error shape every host renders: { code, message, details } (ARCHITECTURE.md).
 * Codes map onto the CLI exit codes of SPEC.md k.3.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'usage',
  'locked',
  'check_failed',
  'gate_closed',
  'data',
  'io',
  'not_found',
  'cancelled',
  'unauthorized',
  'forbidden',
  'payload_too_large',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorShapeSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorShape = z.infer<typeof errorShapeSchema>;

export const EXIT = {
  ok: 0,
  partial: 1,
  usage: 2,
  locked: 3,
  checkFailed: 4,
  data: 5,
  cancelled: 130,
} as const;

const EXIT_BY_CODE: Record<ErrorCode, number> = {
  usage: EXIT.usage,
  locked: EXIT.locked,
  check_failed: EXIT.checkFailed,
  gate_closed: EXIT.checkFailed,
  data: EXIT.data,
  io: EXIT.data,
  not_found: EXIT.data,
  cancelled: EXIT.cancelled,
  unauthorized: EXIT.usage,
  forbidden: EXIT.usage,
  payload_too_large: EXIT.usage,
  internal: EXIT.data,
};

/** An expected failure with a stable code; hosts render it in their own words. */
export class BatchdeskError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'BatchdeskError';
  }

  get exitCode(): number {
    return EXIT_BY_CODE[this.code];
  }

  toShape(): ErrorShape {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_BY_CODE[code];
}

export const usageError = (message: string, details?: unknown) => new BatchdeskError('usage', message, details);
export const dataError = (message: string, details?: unknown) => new BatchdeskError('data', message, details);
