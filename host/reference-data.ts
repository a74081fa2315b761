/**
 * Seeding the reference tables from the bundled files (SPEC.md b.2): factor definitions by
 * name and stress scenarios by scenario_id, upserted in place (existing ids are kept, so
 * stored results keep pointing at them). New rows get ids derived from their keys.
 * Unchanged rows are not rewritten, so seeding twice changes nothing.
 */
import { FACTOR_DEFINITIONS } from '../core/data/factors';
import { STRESS_CATALOG } from '../core/data/stress-scenarios';
import { md5Uuid } from '../db/ids';
import type { SqliteDatabase } from '../db/open-database';

export function seedReferenceData(db: SqliteDatabase, nowIso: string): { factorsAdded: number; scenariosAdded: number } {
  let factorsAdded = 0;
  let scenariosAdded = 0;
  const getFactor = db.prepare(`SELECT id, description, factor_type, calculation_method, etf_proxy, display_order FROM factor_definitions WHERE name = ?`);
  for (const f of FACTOR_DEFINITIONS) {
    const cur = getFactor.get(f.name) as Record<string, unknown> | undefined;
    if (!cur) {
      db.prepare(
        `INSERT INTO factor_definitions (id, name, description, factor_type, calculation_method, etf_proxy, display_order, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
      ).run(md5Uuid(`factor_definitions:${f.name}`), f.name, f.description, f.factor_type, f.calculation_method, f.etf_proxy, f.display_order, nowIso, nowIso);
      factorsAdded++;
    } else if (
      cur['description'] !== f.description ||
      cur['factor_type'] !== f.factor_type ||
      cur['calculation_method'] !== f.calculation_method ||
      cur['etf_proxy'] !== f.etf_proxy ||
      cur['display_order'] !== f.display_order
    ) {
      db.prepare(`UPDATE factor_definitions SET description = ?, factor_type = ?, calculation_method = ?, etf_proxy = ?, display_order = ?, updated_at = ? WHERE name = ?`).run(
        f.description, f.factor_type, f.calculation_method, f.etf_proxy, f.display_order, nowIso, f.name,
      );
    }
  }
  const getScenario = db.prepare(`SELECT name, description, category, severity, shock_config, active, category_key, period_start, period_end FROM stress_test_scenarios WHERE scenario_id = ?`);
  for (const s of STRESS_CATALOG.scenarios) {
    const row = {
      name: s.name,
      description: s.description ?? null,
      category: s.category,
      severity: s.severity,
      shock_config: JSON.stringify(s.shocks),
      active: s.active ? 1 : 0,
      category_key: s.category_key,
      period_start: s.period?.start ?? null,
      period_end: s.period?.end ?? null,
    };
    const cur = getScenario.get(s.id) as Record<string, unknown> | undefined;
    if (!cur) {
      db.prepare(
        `INSERT INTO stress_test_scenarios (id, scenario_id, name, description, category, severity, shock_config, active, category_key, period_start, period_end, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(md5Uuid(`stress_test_scenarios:${s.id}`), s.id, row.name, row.description, row.category, row.severity, row.shock_config, row.active, row.category_key, row.period_start, row.period_end, nowIso, nowIso);
      scenariosAdded++;
    } else if (Object.entries(row).some(([k, v]) => cur[k] !== v)) {
      db.prepare(
        `UPDATE stress_test_scenarios SET name = ?, description = ?, category = ?, severity = ?, shock_config = ?, active = ?, category_key = ?, period_start = ?, period_end = ?, updated_at = ? WHERE scenario_id = ?`,
      ).run(row.name, row.description, row.category, row.severity, row.shock_config, row.active, row.category_key, row.period_start, row.period_end, nowIso, s.id);
    }
  }
  return { factorsAdded, scenariosAdded };
}
