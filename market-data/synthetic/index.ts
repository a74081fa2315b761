/** Deterministic synthetic market data (SPEC.md e.9, m.8). */
export * from './anchors';
export * from './factor-model';
export * from './implied-betas';
export * from './prng';
export * from './stock-params';
export * from './synthetic-config';
export * from './synthetic-generator';
export * from './synthetic-price-source';
export * from './synthetic-profile-source';
