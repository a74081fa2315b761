/**
 * A local stand-in for Yahoo Finance, for tests that run yahoo-finance2's real code path.
 *
 * http.createServer on 127.0.0.1 (free port). The client's fetch is rewritten so that
 * `https://<host><path>` becomes `http://127.0.0.1:PORT/<host><path>` (STACK.md section 5),
 * which `mock.fetch` does; it refuses any URL that is not https://*.yahoo.com.
 *
 * Routes:
 *   /finance.yahoo.com/quote/<SYM>                 200 HTML + Set-Cookie A3=... (Domain=.yahoo.com)
 *   /query1.finance.yahoo.com/v1/test/getcrumb     200 text/plain crumb (403 without the cookie)
 *   /query{1,2}.finance.yahoo.com/v8/finance/chart/<SYM>?period1&period2&interval=1d
 *   /query{1,2}.finance.yahoo.com/v10/finance/quoteSummary/<SYM>?modules=..&crumb=..
 *                                                  401 Invalid Crumb without crumb or cookie
 * Anything else: 404.
 *
 * Every request is logged (`requests`, `count()`), faults are scriptable (mock-faults.ts),
 * and `close()` ends hanging requests too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { FetchLike } from '../../../market-data/resilience/timed-fetch';
import { chartBody, chartMeta, errorEnvelope, quoteSummaryBody, type Json } from './mock-bodies';
import { applyDataFault, type MockFault } from './mock-faults';
import { defaultIsTradingDay, fnv1a, generatedBars, zonedDate, type MockBar } from './mock-series';
import { chartFixture, quoteSummaryFixture } from './recorded-fixtures';

export type MockEndpoint = 'quote_page' | 'getcrumb' | 'chart' | 'quoteSummary' | 'unknown';

export interface MockSymbolConfig {
  /** Fixed bars; without them bars are generated (mock-series.ts). */
  readonly bars?: readonly MockBar[];
  /** Chart meta to serve as is (recorded fixtures); otherwise built from the template. */
  readonly meta?: Json;
  /** Fields to override in the chart meta (e.g. exchangeTimezoneName). */
  readonly metaOverrides?: Json;
  /** exchangeTimezoneName, default America/New_York. */
  readonly timeZone?: string;
  /** Exchange wall time of generated bar timestamps, default 09:30. */
  readonly barTime?: string;
  /** Default 2000-01-03 for generated series; null = Yahoo sends none. */
  readonly firstTradeDate?: IsoDate | null;
  /** quoteSummary modules by name; default: a generated equity profile. */
  readonly profile?: Readonly<Record<string, unknown>>;
  /** What happens when a requested module is not in `profile`: Yahoo's 404 (default) or omission. */
  readonly missingModules?: 'error' | 'omit';
}

export interface YahooMockOptions {
  /** Per-symbol setup, merged over the recorded fixtures (AAPL, SPY, VFIAX). */
  readonly symbols?: Readonly<Record<string, MockSymbolConfig>>;
  /** Symbols without a config: served generated data (default) or Yahoo's 404. */
  readonly unknownSymbols?: 'generate' | 'not_found';
  /** Which days get bars (default: the NYSE calendar of core/calendar). */
  readonly isTradingDay?: (d: IsoDate) => boolean;
  /** No bars after this date (as a real provider has none in the future). */
  readonly lastDate?: IsoDate;
  readonly crumb?: string;
}

export interface MockRequest {
  readonly endpoint: MockEndpoint;
  readonly host: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly symbol: string | null;
  /** HTTP status sent, or 'hang' for a request that was never answered. */
  readonly status: number | 'hang';
  readonly fault: MockFault['kind'];
  readonly cookie: string | null;
}

export interface YahooMock {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** The transport to give the adapter: rewrites Yahoo URLs to the mock. */
  readonly fetch: FetchLike;
  /** Original URLs the transport was asked for, in order. */
  readonly transportLog: readonly string[];
  readonly requests: readonly MockRequest[];
  count(filter?: { endpoint?: MockEndpoint; symbol?: string }): number;
  /** Faults for the next calls of a symbol, one per call, then normal answers again. */
  script(symbol: string, faults: readonly MockFault[], endpoint?: 'chart' | 'quoteSummary' | 'any'): void;
  /** A fault for every call of a symbol (null clears it). */
  always(symbol: string, fault: MockFault | null, endpoint?: 'chart' | 'quoteSummary' | 'any'): void;
  /** A fault for every request to every route, crumb routes included (null clears it). */
  failEverything(fault?: MockFault | null): void;
  /** Adds or replaces a symbol's setup. */
  setSymbol(symbol: string, config: MockSymbolConfig): void;
  /** Clears the request logs, scripts and faults (symbol setups stay). */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_CRUMB = 'mockCrumb.123';
const GENERATED_FIRST_TRADE: IsoDate = '2000-01-03' as IsoDate;
const SECTORS = ['Technology', 'Healthcare', 'Financial Services', 'Industrials', 'Energy', 'Consumer Cyclical'];

/** The recorded fixtures as symbol setups: AAPL chart + profile, SPY (ETF) and VFIAX (fund) profiles. */
export function recordedSymbols(): Record<string, MockSymbolConfig> {
  const aapl = chartFixture('chart-AAPL-2024-01.json');
  return {
    AAPL: { bars: aapl.bars, meta: aapl.meta, profile: quoteSummaryFixture('quoteSummary-AAPL.json') },
    SPY: { profile: quoteSummaryFixture('quoteSummary-SPY.json') },
    VFIAX: { profile: quoteSummaryFixture('quoteSummary-VFIAX.json'), barTime: '16:00' },
  };
}

export async function startYahooMock(options: YahooMockOptions = {}): Promise<YahooMock> {
  const symbols = new Map<string, MockSymbolConfig>(Object.entries({ ...recordedSymbols(), ...options.symbols }));
  const isTradingDay = options.isTradingDay ?? defaultIsTradingDay;
  const crumb = options.crumb ?? DEFAULT_CRUMB;
  const template = chartFixture('chart-AAPL-2024-01.json').meta;
  const aaplProfile = quoteSummaryFixture('quoteSummary-AAPL.json');
  const requests: MockRequest[] = [];
  const transportLog: string[] = [];
  const scripts = new Map<string, MockFault[]>();
  const constant = new Map<string, MockFault>();
  let everything: MockFault | null = null;

  const key = (symbol: string, endpoint: string): string => `${endpoint} ${symbol}`;

  function faultFor(endpoint: MockEndpoint, symbol: string | null): MockFault {
    if (everything) return everything;
    if (symbol === null || (endpoint !== 'chart' && endpoint !== 'quoteSummary')) return { kind: 'ok' };
    for (const k of [key(symbol, endpoint), key(symbol, 'any')]) {
      const queue = scripts.get(k);
      if (queue && queue.length > 0) return queue.shift()!;
    }
    return constant.get(key(symbol, endpoint)) ?? constant.get(key(symbol, 'any')) ?? { kind: 'ok' };
  }

  function configOf(symbol: string): MockSymbolConfig | null {
    const config = symbols.get(symbol);
    if (config) return config;
    return options.unknownSymbols === 'not_found' ? null : {};
  }

  function barsFor(symbol: string, config: MockSymbolConfig, period1: number, period2: number): MockBar[] {
    const timeZone = config.timeZone ?? 'America/New_York';
    let bars: readonly MockBar[];
    if (config.bars) {
      bars = config.bars;
    } else {
      const from = zonedDate(period1, timeZone);
      const to = zonedDate(Math.max(period1, period2 - 1), timeZone);
      const firstTradeDate = config.firstTradeDate === undefined ? GENERATED_FIRST_TRADE : config.firstTradeDate ?? GENERATED_FIRST_TRADE;
      bars = generatedBars({ symbol, timeZone, barTime: config.barTime, firstTradeDate, isTradingDay }, from, to);
    }
    return bars.filter((b) => b.timestamp >= period1 && b.timestamp < period2 && (!options.lastDate || b.date <= options.lastDate));
  }

  function metaFor(symbol: string, config: MockSymbolConfig, bars: readonly MockBar[]): Json {
    if (config.meta) return { ...config.meta, ...config.metaOverrides };
    const timeZone = config.timeZone ?? 'America/New_York';
    const ftd = config.firstTradeDate === undefined ? GENERATED_FIRST_TRADE : config.firstTradeDate;
    const ftdSec = ftd === null ? null : Date.parse(`${ftd}T14:30:00Z`) / 1000;
    const lastBar = bars.length > 0 ? bars[bars.length - 1]! : null;
    return chartMeta(template, { symbol, timeZone, firstTradeDate: ftdSec, lastBar, nowSec: lastBar?.timestamp ?? 1705069800 }, config.metaOverrides ?? {});
  }

  function generatedProfile(symbol: string): Record<string, unknown> {
    const sector = SECTORS[fnv1a(symbol) % SECTORS.length]!;
    const price = { ...(aaplProfile.price as Json), symbol, shortName: `${symbol} Inc.`, longName: `${symbol} Holdings Inc.` };
    const assetProfile = {
      ...(aaplProfile.assetProfile as Json),
      sector,
      sectorKey: sector.toLowerCase().replace(/ /g, '-'),
      sectorDisp: sector,
      longBusinessSummary: `${symbol} Holdings Inc. is a generated company of the Yahoo mock.`,
    };
    return { price, summaryDetail: aaplProfile.summaryDetail, assetProfile };
  }

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string | string[]> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
    res.end(body);
  }

  /** Sends a transport fault and returns its status, or null when the fault is not one. */
  function sendTransportFault(res: ServerResponse, fault: MockFault, module: string, symbol: string | null): number | 'hang' | null {
    switch (fault.kind) {
      case 'rate_limit':
        send(res, 429, 'Too Many Requests', { 'content-type': 'text/html', ...(fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {}) });
        return 429;
      case 'server_error': {
        const status = fault.status ?? 500;
        send(res, status, JSON.stringify(errorEnvelope(module, 'Internal Server Error', 'mock server error')), fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {});
        return status;
      }
      case 'hang':
        return 'hang';
      case 'malformed_json':
        send(res, 200, `{"${module}":{"result":[{"meta":{"currency":"USD","symbol":"${symbol ?? ''}"`);
        return 200;
      case 'not_found':
        send(res, 404, JSON.stringify(notFoundBody(module, symbol ?? '')));
        return 404;
      default:
        return null;
    }
  }

  function notFoundBody(module: string, symbol: string): Json {
    return module === 'chart'
      ? errorEnvelope('chart', 'Not Found', 'No data found, symbol may be delisted')
      : errorEnvelope(module, 'Not Found', `Quote not found for symbol: ${symbol}`);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://mock');
    const [, host = '', ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    const query = Object.fromEntries(url.searchParams);
    const cookie = typeof req.headers.cookie === 'string' ? req.headers.cookie : null;
    let endpoint: MockEndpoint = 'unknown';
    let symbol: string | null = null;
    let m: RegExpExecArray | null;
    if (host === 'finance.yahoo.com' && (m = /^\/quote\/([^/]+)\/?$/.exec(path))) {
      endpoint = 'quote_page';
      symbol = decodeURIComponent(m[1]!);
    } else if (/^query[12]\.finance\.yahoo\.com$/.test(host) && path === '/v1/test/getcrumb') {
      endpoint = 'getcrumb';
    } else if (/^query[12]\.finance\.yahoo\.com$/.test(host) && (m = /^\/v8\/finance\/chart\/([^/]+)$/.exec(path))) {
      endpoint = 'chart';
      symbol = decodeURIComponent(m[1]!);
    } else if (/^query[12]\.finance\.yahoo\.com$/.test(host) && (m = /^\/v10\/finance\/quoteSummary\/([^/]+)$/.exec(path))) {
      endpoint = 'quoteSummary';
      symbol = decodeURIComponent(m[1]!);
    }
    const fault = faultFor(endpoint, symbol);
    const log = (status: number | 'hang'): void => void requests.push({ endpoint, host, path, query, symbol, status, fault: fault.kind, cookie });
    const module = endpoint === 'chart' ? 'chart' : endpoint === 'quoteSummary' ? 'quoteSummary' : 'finance';

    const faulted = sendTransportFault(res, fault, module, symbol);
    if (faulted !== null) {
      log(faulted);
      return;
    }

    switch (endpoint) {
      case 'quote_page':
        send(res, 200, '<!DOCTYPE html><html><head><title>Yahoo Finance (mock)</title></head><body></body></html>', {
          'content-type': 'text/html; charset=utf-8',
          'set-cookie': `A3=d=AQABBMockCookie&S=AQAAAMock; Expires=${new Date(Date.now() + 31_557_600_000).toUTCString()}; Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly`,
        });
        log(200);
        return;
      case 'getcrumb':
        if (!cookie?.includes('A3=')) {
          send(res, 403, 'Forbidden', { 'content-type': 'text/plain' });
          log(403);
          return;
        }
        send(res, 200, crumb, { 'content-type': 'text/plain;charset=utf-8' });
        log(200);
        return;
      case 'chart': {
        const config = configOf(symbol!);
        if (!config) {
          send(res, 404, JSON.stringify(notFoundBody('chart', symbol!)));
          log(404);
          return;
        }
        const period1 = Number(query.period1);
        const period2 = Number(query.period2);
        if (!Number.isFinite(period1) || !Number.isFinite(period2) || query.interval !== '1d') {
          send(res, 400, JSON.stringify(errorEnvelope('chart', 'Bad Request', 'Invalid input - period1, period2 and interval=1d expected')));
          log(400);
          return;
        }
        const bars = applyDataFault(barsFor(symbol!, config, period1, period2), fault);
        send(res, 200, JSON.stringify(chartBody(metaFor(symbol!, config, bars), bars)));
        log(200);
        return;
      }
      case 'quoteSummary': {
        if (query.crumb !== crumb || !cookie?.includes('A3=')) {
          send(res, 401, JSON.stringify(errorEnvelope('finance', 'Unauthorized', 'Invalid Crumb')));
          log(401);
          return;
        }
        const config = configOf(symbol!);
        if (!config) {
          send(res, 404, JSON.stringify(notFoundBody('quoteSummary', symbol!)));
          log(404);
          return;
        }
        const requested = (query.modules ?? '').split(',').filter((s) => s !== '');
        const profile = config.profile ?? generatedProfile(symbol!);
        const scriptedMissing = fault.kind === 'module_unavailable' ? (fault.modules ?? ['assetProfile']) : [];
        const missing = requested.filter((r) => !(r in profile) || scriptedMissing.includes(r));
        if (missing.length > 0 && (config.missingModules ?? 'error') === 'error') {
          send(res, 404, JSON.stringify(errorEnvelope('quoteSummary', 'Not Found', `No fundamentals data found for any of the summaryTypes=${requested.join(',')}`)));
          log(404);
          return;
        }
        send(res, 200, JSON.stringify(quoteSummaryBody(profile, requested.filter((r) => !missing.includes(r)))));
        log(200);
        return;
      }
      default:
        send(res, 404, JSON.stringify(errorEnvelope('finance', 'Not Found', `mock: no route for ${host}${path}`)));
        log(404);
    }
  }

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const fetch: FetchLike = (input, init) => {
    const original = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (original.protocol !== 'https:' || !/(^|\.)yahoo\.com$/.test(original.hostname)) {
      return Promise.reject(new Error(`yahoo mock transport: refusing a non-Yahoo URL ${original.href}`));
    }
    transportLog.push(original.href);
    return globalThis.fetch(`${base}/${original.host}${original.pathname}${original.search}`, init);
  };

  return {
    url: base,
    fetch,
    transportLog,
    requests,
    count(filter = {}) {
      return requests.filter((r) => (!filter.endpoint || r.endpoint === filter.endpoint) && (!filter.symbol || r.symbol === filter.symbol)).length;
    },
    script(symbol, faults, endpoint = 'any') {
      const k = key(symbol, endpoint);
      scripts.set(k, [...(scripts.get(k) ?? []), ...faults]);
    },
    always(symbol, fault, endpoint = 'any') {
      if (fault) constant.set(key(symbol, endpoint), fault);
      else constant.delete(key(symbol, endpoint));
    },
    failEverything(fault = { kind: 'server_error' }) {
      everything = fault;
    },
    setSymbol(symbol, config) {
      symbols.set(symbol, config);
    },
    reset() {
      requests.length = 0;
      transportLog.length = 0;
      scripts.clear();
      constant.clear();
      everything = null;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
