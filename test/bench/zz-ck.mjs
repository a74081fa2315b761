import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
const src = new Database('/tmp/r2.db', { readonly: true });
const tables = ['pairwise_correlations','symbol_factor_exposures','position_factor_exposures','position_marks','stress_test_results'];
const data = Object.fromEntries(tables.map(t => [t, src.prepare(`SELECT * FROM ${t}`).raw().all()]));
const ddl = Object.fromEntries(tables.map(t => [t, [src.prepare(`SELECT sql FROM sqlite_master WHERE type='table' AND name=?`).get(t).sql, ...src.prepare(`SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL`).all(t).map(r=>r.sql)]]));
for (const ck of (process.argv[2]||'10000,0,10000,0').split(',').map(Number)) {
  for (const f of ['','-wal','-shm']) rmSync('/tmp/wr.db'+f, {force:true});
  const db = new Database('/tmp/wr.db'); if (process.env.PS) db.pragma('page_size='+process.env.PS); db.pragma('journal_mode=WAL'); db.pragma('synchronous=NORMAL'); db.pragma('cache_size=-65536'); db.pragma('wal_autocheckpoint='+ck); db.pragma('foreign_keys=OFF');
  for (const t of tables) { const [tbl, ...idx] = ddl[t]; db.exec(tbl); for (const i of idx) db.exec(i); }
  const ins = Object.fromEntries(tables.map(t => [t, db.prepare(`INSERT INTO ${t} VALUES (${data[t][0].map(()=>'?').join(',')})`)]));
  const N = 1785; let commitMs = 0;
  const begin = db.prepare('BEGIN'), commit = db.prepare('COMMIT');
  const t0 = performance.now();
  for (let b = 0; b < N; b++) {
    begin.run();
    for (const t of tables) { const rows = data[t]; const per = Math.ceil(rows.length / N); for (let k = b*per; k < Math.min((b+1)*per, rows.length); k++) ins[t].run(rows[k]); }
    const c0 = performance.now(); commit.run(); commitMs += performance.now() - c0;
  }
  const ms = performance.now() - t0;
  const c1 = performance.now(); db.pragma('wal_checkpoint(TRUNCATE)'); const fin = performance.now() - c1;
  console.log('autocheckpoint', ck, 'total', ms.toFixed(0), 'commits', commitMs.toFixed(0), 'final checkpoint', fin.toFixed(0));
  db.close();
}
