/**
 * Yahoo's ways of failing, mapped to ProviderFailure (SPEC.md e.6, e.7).
 *
 * Responses (seen by the HTTP layer before the library, so the status is exact):
 * - 429 -> rate_limited (Retry-After read); 5xx -> server_error (Retry-After read if sent);
 * - 404 with Yahoo's error envelope {"<module>":{"result":null,"error":{"code":"Not Found",
 *   "description":...}}} -> not_found, or module_unavailable when the description is
 *   "No fundamentals data found for any of the summaryTypes=..." (a quoteSummary module the
 *   symbol lacks, common for funds);
 * - any other 4xx -> http_error.
 * Errors thrown by yahoo-finance2 on a 2xx answer:
 * - FailedYahooValidationError, unparsable JSON, unexpected shapes -> invalid_response;
 * - an error envelope on a 2xx answer -> classified by its description like a 404.
 */
import { parseRetryAfterMs } from '../resilience/retry-after';
import { ProviderFailureError, type ProviderFailure, type ProviderFailureKind } from '../resilience/provider-failure';

const MODULE_UNAVAILABLE_RE = /no fundamentals data found for any of the summaryTypes/i;
const NOT_FOUND_RE = /not found|no data found|delisted|no fundamentals data/i;

/** The description inside Yahoo's JSON error envelope, or null when the body is not one. */
export function yahooErrorDescription(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object') return null;
  const values = Object.values(parsed as Record<string, unknown>);
  if (values.length !== 1) return null;
  const inner = values[0];
  if (inner === null || typeof inner !== 'object') return null;
  const error = (inner as { error?: unknown }).error;
  if (error === null || typeof error !== 'object') return null;
  const { code, description } = error as { code?: unknown; description?: unknown };
  if (typeof description === 'string' && description !== '') return description;
  return typeof code === 'string' ? code : null;
}

function kindOfDescription(description: string): ProviderFailureKind | null {
  if (MODULE_UNAVAILABLE_RE.test(description)) return 'module_unavailable';
  if (NOT_FOUND_RE.test(description)) return 'not_found';
  return null;
}

/** The HTTP layer's classifier for Yahoo (see ResponseClassifier). */
export function classifyYahooResponse(response: Response, body: string, nowMs: number): ProviderFailure | null {
  const status = response.status;
  if (status < 400) return null;
  const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), nowMs);
  const description = yahooErrorDescription(body);
  const detail = description ?? (snippet(body) || response.statusText || 'no body');
  if (status === 429) return { kind: 'rate_limited', message: `HTTP 429 rate limited: ${detail}`, status, retryAfterMs };
  if (status >= 500) return { kind: 'server_error', message: `HTTP ${status}: ${detail}`, status, retryAfterMs };
  if (status === 404) {
    const kind = (description && kindOfDescription(description)) || 'not_found';
    return { kind, message: detail, status, retryAfterMs: null };
  }
  return { kind: 'http_error', message: `HTTP ${status}: ${detail}`, status, retryAfterMs: null };
}

/** Anything a yahoo-finance2 call threw, as a failure. */
export function classifyYahooError(error: unknown): ProviderFailure {
  if (error instanceof ProviderFailureError) return error.failure;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'FailedYahooValidationError') {
    return { kind: 'invalid_response', message: `response failed yahoo-finance2 validation: ${validationDetail(error)}`, status: null, retryAfterMs: null };
  }
  const kind = kindOfDescription(message);
  if (kind) return { kind, message, status: null, retryAfterMs: null };
  return { kind: 'invalid_response', message: snippet(message), status: null, retryAfterMs: null };
}

/** True when a FailedYahooValidationError concerns the assetProfile module. */
export function isAssetProfileValidationError(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'FailedYahooValidationError') return false;
  return validationDetail(error).includes('assetProfile');
}

function validationDetail(error: unknown): string {
  const errors = (error as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return 'no details';
  return snippet(
    errors
      .map((e: unknown) => {
        const { instancePath, message, params } = (e ?? {}) as { instancePath?: unknown; message?: unknown; params?: unknown };
        const where = typeof instancePath === 'string' && instancePath !== '' ? instancePath : '/';
        const what = typeof message === 'string' ? message : 'invalid';
        const detail = params && typeof params === 'object' && Object.keys(params).length > 0 ? ` ${JSON.stringify(params)}` : '';
        return `${where} ${what}${detail}`;
      })
      .join('; '),
  );
}

function snippet(s: string, max = 300): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}
