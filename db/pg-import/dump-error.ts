/**
 * The one error type of the dump reader (pg-import.md section 8). A dump is untrusted input:
 * every way it can be malformed ends in a DumpError with a stable code, a message that names
 * what was wrong (and the table, row and column when known), never in a crash or a hang.
 */
export type DumpErrorCode =
  | 'not_found'
  | 'not_a_dump'
  | 'unsupported_version'
  | 'bad_header'
  | 'bad_format_byte'
  | 'truncated'
  | 'bad_length'
  | 'too_large'
  | 'bad_toc'
  | 'bad_offset_flag'
  | 'dumpid_mismatch'
  | 'unknown_block_type'
  | 'missing_data'
  | 'missing_copy_end'
  | 'bad_copy_row'
  | 'invalid_text'
  | 'unsupported_encoding'
  | 'decompress_failed'
  | 'bad_sql'
  | 'bad_tar'
  | 'cluster_dump_needs_database'
  | 'database_not_in_cluster'
  | 'no_such_table'
  | 'cancelled'
  // import stage (SPEC.md j.7, m.15)
  | 'no_data'
  | 'no_batchdesk_tables'
  | 'no_batchdesk_rows'
  | 'target_exists'
  | 'strict_violation';

export interface DumpErrorContext {
  readonly table?: string;
  readonly row?: number;
  readonly column?: string;
  readonly offset?: number;
  readonly [key: string]: unknown;
}

export class DumpError extends Error {
  constructor(
    readonly code: DumpErrorCode,
    message: string,
    readonly context: DumpErrorContext = {},
  ) {
    super(message);
    this.name = 'DumpError';
  }
}

export function isDumpError(e: unknown): e is DumpError {
  return e instanceof DumpError;
}

/** Throws `cancelled` when the signal has fired (checked between blocks and batches). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DumpError('cancelled', 'the dump read was cancelled');
}
