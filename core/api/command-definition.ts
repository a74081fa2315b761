/**
 * How a contract command is declared: a name, an input schema and an output schema (zod).
 * Every host (Electron IPC via the worker, `serve` over HTTP, the CLI in-process) validates
 * inputs with the same schemas and returns the same outputs or the one error shape.
 */
import type { z } from 'zod';

export interface CommandDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  /** One line for help and docs. */
  readonly summary: string;
  /** Writes to the database (used by hosts to refuse during maintenance or read-only mode). */
  readonly mutates: boolean;
}

export function defineCommand<I extends z.ZodType, O extends z.ZodType>(def: CommandDefinition<I, O>): CommandDefinition<I, O> {
  return def;
}
