import { describe, expect, it } from 'vitest';
import { ProviderFailureError } from '../../../market-data/resilience/provider-failure';
import { classifyYahooError, classifyYahooResponse, yahooErrorDescription } from '../../../market-data/yahoo/yahoo-failures';
import { readYahooFixture } from '../../support/yahoo-mock/recorded-fixtures';

const NOW = Date.parse('2024-01-16T01:00:00Z');
const response = (status: number, headers: Record<string, string> = {}) => new Response(null, { status: status === 204 ? 204 : status, headers });

describe('classifyYahooResponse', () => {
  it('lets answers below 400 through', () => {
    expect(classifyYahooResponse(response(200), '{}', NOW)).toBeNull();
    expect(classifyYahooResponse(response(302), '', NOW)).toBeNull();
  });

  it.each([
    [429, {}, '', { kind: 'rate_limited', status: 429, retryAfterMs: null }],
    [429, { 'retry-after': '7' }, '', { kind: 'rate_limited', retryAfterMs: 7_000 }],
    [429, { 'retry-after': 'Tue, 16 Jan 2024 01:00:30 GMT' }, '', { kind: 'rate_limited', retryAfterMs: 30_000 }],
    [500, {}, '{"chart":{"result":null,"error":{"code":"Internal Server Error","description":"boom"}}}', { kind: 'server_error', message: 'HTTP 500: boom' }],
    [503, { 'retry-after': '2' }, 'busy', { kind: 'server_error', retryAfterMs: 2_000 }],
    [404, {}, JSON.stringify(readYahooFixture('chart-not-found.json')), { kind: 'not_found', message: 'No data found, symbol may be delisted' }],
    [404, {}, JSON.stringify(readYahooFixture('quoteSummary-not-found.json')), { kind: 'not_found' }],
    [404, {}, JSON.stringify(readYahooFixture('quoteSummary-module-unavailable.json')), { kind: 'module_unavailable' }],
    [404, {}, '<html>gone</html>', { kind: 'not_found' }],
    [401, {}, '{"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}}', { kind: 'http_error', message: 'HTTP 401: Invalid Crumb' }],
    [403, {}, '', { kind: 'http_error', status: 403 }],
  ])('HTTP %d %j -> %j', (status, headers, body, expected) => {
    expect(classifyYahooResponse(response(status, headers), body, NOW)).toMatchObject(expected);
  });
});

describe('classifyYahooError', () => {
  it('keeps a ProviderFailureError as it is', () => {
    const failure = { kind: 'timeout' as const, message: 't', status: null, retryAfterMs: null };
    expect(classifyYahooError(new ProviderFailureError(failure))).toBe(failure);
  });

  it.each([
    [Object.assign(new Error('Failed Yahoo Schema validation'), { name: 'FailedYahooValidationError', errors: [{ instancePath: '/meta/currency', message: 'must be string' }] }), 'invalid_response', /\/meta\/currency must be string/],
    [new Error('Response.ok where we expect JSON, but the response was not parsable.'), 'invalid_response', /not parsable/],
    [new Error('No data found, symbol may be delisted'), 'not_found', /delisted/],
    [new Error('No fundamentals data found for any of the summaryTypes=assetProfile'), 'module_unavailable', /summaryTypes/],
    ['a string', 'invalid_response', /a string/],
  ])('%s -> %s', (error, kind, message) => {
    const f = classifyYahooError(error);
    expect(f.kind).toBe(kind);
    expect(f.message).toMatch(message);
  });

  it('reads the description of an error envelope', () => {
    expect(yahooErrorDescription('{"x":{"result":null,"error":{"code":"Not Found","description":"d"}}}')).toBe('d');
    expect(yahooErrorDescription('{"x":{"result":null,"error":{"code":"Not Found"}}}')).toBe('Not Found');
    expect(yahooErrorDescription('{"x":{"result":[]},"y":1}')).toBeNull();
    expect(yahooErrorDescription('not json')).toBeNull();
  });
});
