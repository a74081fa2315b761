/** Randomness port, so jitter and ids are deterministic in tests. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}
