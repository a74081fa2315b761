/**
 * Column helpers shared by the schema files: the storage conventions of SPEC.md a.3
 * (booleans as 0/1 with a CHECK, JSON as text with json_valid, enumerations with IN lists).
 */
import { sql, type SQL } from 'drizzle-orm';
import { check, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

function quoteList(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
}

/** CHECK (col IN ('a','b')) — null allowed unless the column is NOT NULL. */
export function checkIn(name: string, column: AnySQLiteColumn, values: readonly string[]) {
  return check(name, sql`${column} IN (${sql.raw(quoteList(values))})`);
}

export function checkBool(name: string, column: AnySQLiteColumn) {
  return check(name, sql`${column} IN (0, 1)`);
}

export function checkJson(name: string, column: AnySQLiteColumn) {
  return check(name, sql`${column} IS NULL OR json_valid(${column})`);
}

export function checkSql(name: string, condition: SQL) {
  return check(name, condition);
}
