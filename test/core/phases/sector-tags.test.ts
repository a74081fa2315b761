/**
 * The sector_tags phase (SPEC.md c.9, d.13) on the seeded demo: every non-deleted lot linked to
 * exactly one sector tag, named after its profile's sector (trimmed, title-cased) or
 * Uncategorized; tags created with d.13's colour and description; usage counts equal to the
 * links; a re-run with nothing changed reports `unchanged` and writes nothing; a changed sector
 * moves the link and the counts. The expected names come from the test's own title-casing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { sectorTagColor, titleCaseSector } from '../../../core/phases/sector-tags/sector-names';
import { openDatabase, type SqliteDatabase } from '../../../db/open-database';
import { tableContents } from '../../support/db-content';
import { SHORT_NOW } from '../../support/app/demo-fixture';
import { copyDb, runDemo, seedDemoDb } from '../../support/demo-db';

const D1 = '2025-07-01' as IsoDate;
const D2 = '2025-07-02' as IsoDate;
let demo = '';

beforeAll(() => {
  demo = seedDemoDb(SHORT_NOW);
}, 60_000);

/** d.13 step 1, written independently of the phase: each word's first letter up, the rest down. */
const titleCased = (s: string) => s.trim().toLowerCase().replace(/(^|[ \-/])(\S)/g, (_, sep: string, c: string) => sep + c.toUpperCase());

describe('titleCaseSector and sectorTagColor (d.13)', () => {
  it.each([
    ['technology', 'Technology'],
    ['  information TECHNOLOGY ', 'Information Technology'],
    ['consumer-CYCLICAL', 'Consumer-Cyclical'],
    ['real estate/reits', 'Real Estate/Reits'],
    ['Financial  Services', 'Financial  Services'],
    ['x', 'X'],
  ])('%j -> %j, asked once or twice', (raw, name) => {
    expect(titleCaseSector(raw)).toBe(name);
    expect(titleCaseSector(raw)).toBe(name);
    expect(titleCased(raw)).toBe(name);
  });

  it.each([
    ['Technology', '#2196F3'],
    ['Financials', '#FF9800'],
    ['Consumer Staples', '#E91E63'],
    ['Real Estate', '#00BCD4'],
    ['Uncategorized', '#9E9E9E'],
    ['Unknown', '#9E9E9E'],
    ['Real Estate/Reits', '#78909C'],
  ])('%s is %s', (name, color) => expect(sectorTagColor(name)).toBe(color));
});

interface Link {
  position_id: string;
  tag: string;
  color: string;
  description: string;
}

/** Each non-deleted lot's expected tag name, from its profile. */
function wantedNames(db: SqliteDatabase): Map<string, string> {
  const rows = db
    .prepare(`SELECT p.id, c.sector FROM positions p LEFT JOIN company_profiles c ON c.symbol = p.symbol WHERE p.deleted_at IS NULL`)
    .all() as { id: string; sector: string | null }[];
  return new Map(rows.map((r) => [r.id, r.sector && r.sector.trim() ? titleCased(r.sector) : 'Uncategorized']));
}

function sectorLinks(db: SqliteDatabase): Link[] {
  return db
    .prepare(
      `SELECT pt.position_id, t.name AS tag, t.color, t.description FROM position_tags pt JOIN tags_v2 t ON t.id = pt.tag_id
       WHERE t.description LIKE 'Sector:%' OR t.name = 'Uncategorized' ORDER BY pt.position_id`,
    )
    .all() as Link[];
}

function expectTagsAsWanted(db: SqliteDatabase): void {
  const wanted = wantedNames(db);
  const links = sectorLinks(db);
  expect(links.map((l) => l.position_id)).toEqual([...wanted.keys()].sort());
  for (const l of links) {
    expect(l.tag, `lot ${l.position_id}`).toBe(wanted.get(l.position_id));
    expect(l.color).toBe(sectorTagColor(l.tag));
    expect(l.description).toBe(l.tag === 'Uncategorized' ? 'Positions without sector classification' : `Sector: ${l.tag}`);
  }
  const counts = db
    .prepare(`SELECT t.name, t.usage_count AS n, (SELECT COUNT(*) FROM position_tags pt WHERE pt.tag_id = t.id) AS links FROM tags_v2 t`)
    .all() as { name: string; n: number; links: number }[];
  for (const c of counts) expect(c.n, `usage of ${c.name}`).toBe(c.links);
}

const sectorTagCount = (db: SqliteDatabase) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM tags_v2 WHERE description LIKE 'Sector:%' OR name = 'Uncategorized'`).get() as { n: number }).n;

/** The sector_tags metrics of each portfolio on `d`, from its tracking row. */
function metricsOn(db: SqliteDatabase, d: IsoDate): Record<string, Record<string, unknown>> {
  const row = db.prepare(`SELECT metadata FROM batch_run_tracking WHERE run_date = ?`).get(d) as { metadata: string };
  const portfolios = (JSON.parse(row.metadata) as { portfolios: Record<string, { sector_tags?: Record<string, unknown> }> }).portfolios;
  return Object.fromEntries(Object.entries(portfolios).map(([pid, m]) => [pid, m.sector_tags ?? {}]));
}

describe('the sector_tags phase', () => {
  it('links every non-deleted lot to its sector tag, and a re-run with nothing changed writes nothing', async () => {
    const path = copyDb(demo);
    const setup = openDatabase(path);
    const deleted = setup.prepare(`SELECT id FROM positions ORDER BY id LIMIT 1`).get() as { id: string };
    setup.prepare(`UPDATE positions SET deleted_at = '2025-06-01T00:00:00Z' WHERE id = ?`).run(deleted.id);
    expect(sectorTagCount(setup)).toBe(0);
    setup.close();

    expect((await runDemo(path, SHORT_NOW, { targetDate: D1, phases: ['sector_tags'] })).exitCode).toBe(0);
    let db = openDatabase(path, { readonly: true });
    expectTagsAsWanted(db);
    expect(sectorLinks(db).some((l) => l.position_id === deleted.id)).toBe(false);
    const first = Object.values(metricsOn(db, D1));
    expect(first.reduce((a, m) => a + Number(m['links_added']), 0)).toBe(wantedNames(db).size);
    expect(first.reduce((a, m) => a + Number(m['positions_tagged']), 0)).toBe(wantedNames(db).size);
    // Tags are the user's: one per (user, name) wanted by any of the user's portfolios.
    const perUser = db
      .prepare(`SELECT COUNT(DISTINCT f.user_id || '/' || t.name) AS n FROM position_tags pt JOIN tags_v2 t ON t.id = pt.tag_id JOIN positions p ON p.id = pt.position_id JOIN portfolios f ON f.id = p.portfolio_id`)
      .get() as { n: number };
    expect(sectorTagCount(db)).toBe(perUser.n);
    expect(first.reduce((a, m) => a + Number(m['tags_created']), 0)).toBe(perUser.n);
    expect(first.every((m) => m['unchanged'] === false && m['links_removed'] === 0)).toBe(true);
    db.close();
    const tagRows = () => {
      const all = tableContents(path);
      return [all['tags_v2'], all['position_tags']];
    };
    const tagsBefore = tagRows();

    expect((await runDemo(path, SHORT_NOW, { targetDate: D2, phases: ['sector_tags'] })).exitCode).toBe(0);
    expect(tagRows()).toEqual(tagsBefore);
    db = openDatabase(path, { readonly: true });
    expect(Object.values(metricsOn(db, D2)).every((m) => m['unchanged'] === true && m['links_added'] === 0 && m['tags_created'] === 0)).toBe(true);
    db.close();
  });

  it('moves the links of a symbol whose sector changed, and keeps the usage counts', async () => {
    const path = copyDb(demo);
    expect((await runDemo(path, SHORT_NOW, { targetDate: D1, phases: ['sector_tags'] })).exitCode).toBe(0);
    const db = openDatabase(path);
    const [moved, cleared] = db
      .prepare(`SELECT symbol FROM company_profiles WHERE sector IS NOT NULL AND symbol IN (SELECT symbol FROM positions) ORDER BY symbol LIMIT 2`)
      .all() as { symbol: string }[];
    db.prepare(`UPDATE company_profiles SET sector = '  real estate/REITS ' WHERE symbol = ?`).run(moved!.symbol);
    db.prepare(`UPDATE company_profiles SET sector = NULL WHERE symbol = ?`).run(cleared!.symbol);
    const lots = (s: string) => (db.prepare(`SELECT COUNT(*) AS n FROM positions WHERE symbol = ? AND deleted_at IS NULL`).get(s) as { n: number }).n;
    const movedLots = lots(moved!.symbol);
    const changedLots = movedLots + lots(cleared!.symbol);
    db.close();

    expect((await runDemo(path, SHORT_NOW, { targetDate: D2, phases: ['sector_tags'] })).exitCode).toBe(0);
    const after = openDatabase(path, { readonly: true });
    expectTagsAsWanted(after);
    expect(sectorLinks(after).filter((l) => l.tag === 'Real Estate/Reits')).toHaveLength(movedLots);
    const m = Object.values(metricsOn(after, D2));
    expect(m.reduce((a, x) => a + Number(x['links_added']), 0)).toBe(changedLots);
    expect(m.reduce((a, x) => a + Number(x['links_removed']), 0)).toBe(changedLots);
    after.close();
  });
});
