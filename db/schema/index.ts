/** The whole SQLite schema (SPEC.md section b), one file per aggregate. */
export * from './users';
export * from './portfolios';
export * from './market-data';
export * from './reference';
export * from './tags';
export * from './settings';
export * from './marks';
export * from './snapshots';
export * from './analytics';
export * from './bookkeeping';
