/** A failed command, in the contract's one error shape { code, message, details }. */
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

/** A human line for an error of any kind. */
export function errorText(err: unknown): string {
  if (err instanceof EngineError) return `${err.message} (${err.code})`;
  if (err instanceof Error) return err.message;
  return String(err);
}
