/**
 * The screen shown lives in the URL fragment, so a reload opens it again: the fragment names the
 * screen and its parameters beside browser mode's access token, which is kept as it is and
 * still read by the transport; a fragment that lost the token gets back the one the tab kept.
 */
import { describe, expect, it } from 'vitest';
import { tokenFromLocation } from '../../renderer/engine-client/http-transport';
import { hashWithRoute, routeFromHash } from '../../renderer/navigation';

const TOKEN = 'wZwEJmwnnuDH_KMI_ZcNAXFAmD0bouWF3PlIv3CWLWs';

describe('the route in the URL fragment', () => {
  it('opens Live when the fragment names no screen, or one the app does not have', () => {
    for (const hash of ['', '#', `#token=${TOKEN}`, `#token=${TOKEN}&screen=nowhere`, '#screen=']) expect(routeFromHash(hash)).toEqual({ screen: 'live', params: {} });
  });

  it('writes the screen and its parameters after the token, and reads them back', () => {
    const route = { screen: 'debug' as const, params: { date: '2025-07-01', phase: 'marks' } };
    const hash = hashWithRoute(`#token=${TOKEN}`, route);
    expect(hash).toBe(`#token=${TOKEN}&screen=debug&date=2025-07-01&phase=marks`);
    expect(routeFromHash(hash)).toEqual(route);
    expect(tokenFromLocation(hash)).toBe(TOKEN);
  });

  it('replaces the route it wrote before, keeping the token', () => {
    const first = hashWithRoute(`#token=${TOKEN}`, { screen: 'debug', params: { date: '2025-07-01' } });
    const next = hashWithRoute(first, { screen: 'run', params: {} });
    expect(next).toBe(`#token=${TOKEN}&screen=run`);
    expect(tokenFromLocation(next)).toBe(TOKEN);
  });

  it('names the screen alone in the desktop app, which has no token', () => {
    expect(hashWithRoute('', { screen: 'history', params: {} })).toBe('#screen=history');
    expect(routeFromHash('#screen=history')).toEqual({ screen: 'history', params: {} });
  });

  it('carries parameter values that need escaping', () => {
    const route = { screen: 'reconciliation' as const, params: { portfolio: 'a&b=c #1' } };
    expect(routeFromHash(hashWithRoute(`#token=${TOKEN}`, route))).toEqual(route);
  });

  it("puts the token the tab kept back first into a fragment without one, and keeps a fragment's own", () => {
    const route = { screen: 'history' as const, params: {} };
    expect(hashWithRoute('#screen=debug', route, TOKEN)).toBe(`#token=${TOKEN}&screen=history`);
    expect(hashWithRoute('#token=other', route, TOKEN)).toBe('#token=other&screen=history');
    expect(hashWithRoute('', route, null)).toBe('#screen=history');
  });
});
