/**
 * Small doubles the provider tests share: a seeded Random (mulberry32) and a logger that
 * records what the provider layer said.
 */
import type { Random } from '../../../core/ports/random';
import type { ProviderLogger } from '../../../market-data/yahoo/provider-logger';

/** mulberry32 (Tommy Ettinger's public-domain 32-bit generator): uniform in [0, 1). */
export function seededRandom(seed: number): Random & { readonly draws: number[] } {
  let a = seed >>> 0;
  const draws: number[] = [];
  return {
    draws,
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
