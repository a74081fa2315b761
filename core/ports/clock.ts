/** The current instant. Hosts bind it to the system clock or to BATCHDESK_NOW (SPEC.md f.3). */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}
