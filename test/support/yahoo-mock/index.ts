/** The Yahoo mock and its helpers (see yahoo-mock-server.ts and mock-yahoo-adapter.ts). */
export * from './yahoo-mock-server';
export * from './mock-faults';
export * from './mock-series';
export * from './mock-bodies';
export * from './recorded-fixtures';
export * from './virtual-time';
export * from './test-doubles';
export * from './mock-yahoo-adapter';
export * from './network-guard';
