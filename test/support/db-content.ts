/**
 * Whole-database snapshots for "nothing changed" assertions: every row of every table, in
 * primary-key order, as JSON text. Exact (timestamps included): used where an operation must
 * leave the file exactly as it was.
 */
import Database from 'better-sqlite3';

export function tableContents(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    const out: Record<string, string> = {};
    for (const t of tables) {
      const rows = db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).raw().all();
      out[t] = JSON.stringify(rows);
    }
    return out;
  } finally {
    db.close();
  }
}
