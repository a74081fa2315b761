/**
 * The closing lines pg_dump writes at the end of a plain SQL dump. Hand-made dumps in tests end
 * with them; without them the reader refuses a file as truncated (db/pg-import/plain-model.ts).
 */
export const PLAIN_DUMP_TAIL = '\n--\n-- PostgreSQL database dump complete\n--\n';
