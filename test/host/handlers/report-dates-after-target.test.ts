/**
 * A report date after the target date is a usage error through the contract (the path of the
 * app, the browser mode and `serve`), worded as the CLI words it (test/cli/report-dates-after-
 * target.test.ts): one date, and either end of a range. It is not "nothing was checked", and
 * nothing changes (verify guard would otherwise record a pass or close the gate).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../host/dispatcher';
import type { HostContext } from '../../../host/handler-types';
import { dispatchOk, testHostContext } from '../../support/app/host-context';
import { tableContents } from '../../support/db-content';
import { seedDemoDb } from '../../support/demo-db';
import { copyTo, SAFE_NOW } from '../../support/safeguards';

/** The target date of SAFE_NOW, and the next trading day. */
const TARGET = '2025-07-10';
const AFTER = '2025-07-11';

let db = '';
let ctx: HostContext;
let before: Record<string, string>;
beforeAll(() => {
  expect(SAFE_NOW.startsWith(TARGET)).toBe(true);
  db = copyTo(seedDemoDb(SAFE_NOW));
  before = tableContents(db);
  ctx = testHostContext(db, SAFE_NOW, { reader: false });
}, 120_000);

const REFUSED: [string, Record<string, string>, string][] = [
  ['reconcile', { date: AFTER }, '--date'],
  ['reconcile', { startDate: '2025-07-01', endDate: AFTER }, '--end-date'],
  ['reconcile', { startDate: AFTER }, '--start-date'],
  ['diagnoseEquityCash', { date: AFTER }, '--date'],
  ['diagnosePrices', { date: AFTER }, '--date'],
  ['verifyGuard', { date: AFTER }, '--date'],
  ['verifyGuard', { startDate: '2025-07-01', endDate: AFTER }, '--end-date'],
  ['verifyGuard', { startDate: AFTER }, '--start-date'],
  ['verifyViews', { date: AFTER }, '--date'],
  ['verifyCoverage', { startDate: '2025-07-01', endDate: AFTER }, '--end-date'],
];

describe('report dates after the target date through the contract', () => {
  for (const [name, input, flag] of REFUSED) {
    it(`${name} ${JSON.stringify(input)}: a usage error naming ${flag}, nothing changed`, async () => {
      const r = await dispatch(name, input, ctx);
      expect(r).toEqual({ ok: false, error: { code: 'usage', message: `${flag} ${AFTER}: its close is not settled yet (the target date, the latest settled trading day, is ${TARGET})` } });
      expect(tableContents(db)).toEqual(before);
    });
  }

  it('the target date itself is checked: not processed yet, so nothing was checked', async () => {
    expect(await dispatchOk(ctx, 'reconcile', { startDate: '2025-07-01', endDate: TARGET })).toMatchObject({ total: 0 });
    expect(await dispatchOk(ctx, 'diagnoseEquityCash', { date: TARGET })).toMatchObject({ checked: 0 });
    expect(await dispatchOk(ctx, 'verifyGuard', { date: TARGET })).toMatchObject({ checked: 0 });
    expect((await dispatchOk(ctx, 'verifyViews', { date: TARGET })).checks).toEqual([]);
  });
});
