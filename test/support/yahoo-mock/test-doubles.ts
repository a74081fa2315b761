/**
 * Small doubles the provider tests share: a seeded Random (mulberry32) and a logger that
 * records what the provider layer said.
 */
import type { Random } from '../../../core/ports/random';
import type { ProviderLogger } from '../../../market-data/yahoo/provider-logger';
import { seededRng } from '../calc-random';

/** The shared seeded generator (mulberry32), recording every draw. */
export function seededRandom(seed: number): Random & { readonly draws: number[] } {
  const rng = seededRng(seed);
  const draws: number[] = [];
  return {
    draws,
    next() {
      const value = rng.next();
      draws.push(value);
      return value;
    },
  };
}

/** A Random that returns the given values in turn (then repeats the last). */
export function fixedRandom(...values: number[]): Random {
  let i = 0;
  return { next: () => values[Math.min(i++, values.length - 1)] ?? 0 };
}

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}

export function recordingLogger(): ProviderLogger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string): void =>
      void lines.push({ level, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
