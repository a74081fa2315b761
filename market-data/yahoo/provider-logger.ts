/**
 * Where provider diagnostics go. The host injects it (JSONL log, SPEC.md h.3); nothing in the
 * provider layer writes to the console. yahoo-finance2 logs through the same object (its
 * Node-version warning, validation details, notices), adapted by `yahooLibraryLogger`.
 */
export interface ProviderLogger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** The five-method logger yahoo-finance2 validates (`dir` goes to debug). */
export interface YahooLibraryLogger {
  info: (...args: unknown[]) => void;
  warn: (...args: unknown[]) => void;
  error: (...args: unknown[]) => void;
  debug: (...args: unknown[]) => void;
  dir: (...args: unknown[]) => void;
}

export function yahooLibraryLogger(logger: ProviderLogger): YahooLibraryLogger {
  const forward =
    (level: keyof ProviderLogger) =>
    (...args: unknown[]): void => {
      const [first, ...rest] = args;
      logger[level](typeof first === 'string' ? first : JSON.stringify(first) ?? String(first), ...rest);
    };
  return { info: forward('info'), warn: forward('warn'), error: forward('error'), debug: forward('debug'), dir: forward('debug') };
}
