/**
 * Prepared statements for SQL built at run time (IN lists of varying length, optional
 * columns): each distinct SQL text is prepared once per connection. Values are always bound.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './open-database';

export function statementCache(db: SqliteDatabase): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
}
