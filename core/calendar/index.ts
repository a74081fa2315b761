/** NYSE trading calendar and the target-date rule (SPEC.md f). */
export * from './calendar-range-error';
export * from './easter';
export * from './nyse-holidays';
export * from './trading-calendar';
export * from './target-date';
