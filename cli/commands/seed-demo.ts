/** `batchdesk seed-demo`: create or refresh the demo database (SPEC.md j.6, m.7). */
import { usageError } from '../../core/api/errors';
import { syntheticSeedSchema } from '../../core/api/run-options';
import { targetDate } from '../../core/calendar';
import { DEMO_START_DATE } from '../../core/data/demo-portfolios';
import { calendarDateSchema } from '../../core/calendar/calendar-range-error';
import { checkSettledDate } from '../../core/engine/planner';
import { takeoverWarnings } from '../../core/maintenance/takeover-words';
import { seedConflict, seedDemo, seedDemoOptionsSchema } from '../../host/seed-demo';
import { openStore } from '../../host/engine-host';
import { withMaintenanceLock } from '../../host/maintenance/maintenance-lock';
import { systemClock } from '../../host/system-ports';
import { stringFlag } from '../args';
import { BANNER, asciiJson } from '../ascii';
import { advisedDbFlag, JSON_FLAG, type CommandSpec } from '../command';
import { readNumberFlag, type NumberFlag } from '../number-flag';
import { parseOrUsage } from '../validate';

const SEED_NUMBER: NumberFlag = { name: '--seed', range: syntheticSeedSchema, example: '42' };

export const seedDemoCommand: CommandSpec = {
  name: 'seed-demo',
  summary: 'create the five demo portfolios with synthetic prices (again with the same seed: changes nothing)',
  flags: {
    prices: { type: 'string', valueName: 'synthetic|online|none', description: 'where demo prices come from', defaultText: 'synthetic' },
    seed: { type: 'string', valueName: 'N', nonNegative: true, description: 'synthetic generator seed (0 to 4294967295)', defaultText: '42' },
    profile: { type: 'string', valueName: 'realistic|independent', description: 'synthetic factor profile', defaultText: 'realistic' },
    'start-date': { type: 'string', valueName: 'YYYY-MM-DD', description: `first date the synthetic prices serve (they start 400 days before it, for the lookback windows); not after the demo's entry date ${DEMO_START_DATE}`, defaultText: DEMO_START_DATE },
    'end-date': { type: 'string', valueName: 'YYYY-MM-DD', description: 'last date with prices', defaultText: 'the target date' },
    reset: { type: 'boolean', description: 'delete the demo portfolios, their derived rows and the synthetic prices and profiles first (to start over, e.g. with another --seed)' },
    json: JSON_FLAG,
  },
  example: 'batchdesk seed-demo --db /tmp/demo.db',
  async run(ctx) {
    const clock = systemClock(ctx.io.env);
    const f = ctx.flags;
    const target = targetDate(clock.now());
    // A start after the target date is named as such, before the range check would blame the default end.
    const start = stringFlag(f['start-date']);
    if (start !== undefined) checkSettledDate(parseOrUsage(calendarDateSchema, start, 'seed-demo', '--start-date'), target, '--start-date');
    const options = parseOrUsage(
      seedDemoOptionsSchema,
      {
        prices: stringFlag(f['prices']),
        seed: readNumberFlag(SEED_NUMBER, stringFlag(f['seed']), 'seed-demo'),
        profile: stringFlag(f['profile']),
        startDate: stringFlag(f['start-date']),
        endDate: stringFlag(f['end-date']) ?? target,
        reset: f['reset'] === true,
      },
      'seed-demo',
    );
    checkSettledDate(options.endDate, target, '--end-date');
    const opened = openStore(ctx.global.dbPath);
    try {
      // Refused before the lock is taken, so a refused seed leaves the file as it was, byte for byte.
      const conflict = seedConflict(opened.db, options);
      if (conflict) throw usageError(conflict);
      // Seeding rewrites raw rows (and --reset deletes derived ones) under a run that would
      // record its dates as done: a live run or maintenance operation refuses it (exit 3).
      // A dead holder's lock taken over (a killed rebuild's: closed, the gate closed) is said, as every taker says it.
      const { r, warnings } = withMaintenanceLock(opened, 'seed', 'cli', clock, (lock) => ({ r: seedDemo(opened.db, options, clock.now()), warnings: takeoverWarnings(lock.takeover) }));
      for (const w of warnings) ctx.io.err(`warning: ${w}`);
      if (f['json']) {
        ctx.io.out(asciiJson({ database: ctx.global.dbPath, ...r, warnings }, 2));
        return 0;
      }
      ctx.io.out(
        [
          BANNER,
          `batchdesk seed-demo  ${ctx.global.dbPath}`,
          BANNER,
          `Portfolios: ${r.portfolios}   Positions: ${r.positions} (${r.positionsAdded} added)`,
          `Factor definitions added: ${r.factorsAdded}   Stress scenarios added: ${r.scenariosAdded}`,
          r.priceRange
            ? `Prices: synthetic, seed ${options.seed} (${options.profile}), ${r.symbols} symbols, ${r.priceRange.start} .. ${r.priceRange.end}, ${r.priceRowsAdded} rows added`
            : `Prices: ${options.prices} (nothing generated)`,
          r.reset ? 'Reset: the demo portfolios, their derived rows and the synthetic prices and profiles were deleted first.' : '',
          '',
          `Next: batchdesk run${advisedDbFlag(ctx.global)}   ${
            r.backfilledThrough ? `(the demo is backfilled through ${r.backfilledThrough}; the automatic range continues after it)` : `(the automatic range starts at the demo's entry date, ${DEMO_START_DATE})`
          }`,
        ]
          .filter((l, i, a) => l !== '' || i === a.length - 2)
          .join('\n'),
      );
      return 0;
    } finally {
      opened.close();
    }
  },
};
