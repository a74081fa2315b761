/**
 * The human text of metric events that the CLI's progress lines and the app's event log both
 * show, written once: a flagged close (price_validation_flag, SPEC.md e.4) and a skipped row of
 * a price file (csv_bad_row, e.8), and an imported close flagged as a jump. Each host adds its
 * own prefix ("warning: ", the metric name).
 */
type Tags = Readonly<Record<string, unknown>>;

/** A jump is kept and listed as a suspect price (unless a stored valid close stays); an invalid close is rejected. */
export function priceFlagText(tags: Tags, date: string | null): string {
  // A row read from a file names it (an invalid close's reason already does).
  const row = tags['file'] !== undefined && tags['flag'] !== 'invalid' ? ` (${String(tags['file'])} line ${String(tags['line'])})` : '';
  const where = `${String(tags['symbol'])} on ${date ?? '?'} from ${String(tags['provider'] ?? 'the provider')}${row}`;
  if (tags['flag'] === 'invalid') return `${where}: ${String(tags['why'] ?? 'invalid close')}; rejected, not stored${tags['stored_close_kept'] ? ' (the stored close stays)' : ''}`;
  return `${where}: the close moved beyond the jump threshold; ${tags['stored_close_kept'] ? 'the stored close stays' : 'kept and listed as a suspect price'}`;
}

/** A skipped row of a price file: file, line, column and why. */
export function csvBadRowText(tags: Tags): string {
  // A problem that makes the whole file unusable (its header, an empty file) says so at its end.
  const what = String(tags['message']).endsWith('the whole file is ignored') ? 'CSV file ignored' : 'bad CSV row skipped';
  return `${what}: ${String(tags['file'] ?? '')} line ${String(tags['line'])}${tags['column'] ? ` column ${String(tags['column'])}` : ''}: ${String(tags['message'])}`;
}

/**
 * A close an import flagged as a jump, in words (`prices import`, the app's "Add prices from CSV"):
 * stored flagged, or left out because the day's stored valid close stays (m.13), naming which close
 * it jumped from: the stored one of the day, or the previous day's (then the stored one is named too).
 */
export function importedJumpText(j: { symbol: string; date: string; close: number; reference: number; storedCloseKept: boolean; storedClose: number | null }): string {
  if (!j.storedCloseKept) return `${j.symbol} ${j.date} close ${j.close} is a jump from ${j.reference}; stored flagged 'jump' (check for a split)`;
  if (j.storedClose === null || j.storedClose === j.reference) return `${j.symbol} ${j.date} close ${j.close} differs from the stored ${j.reference} beyond the jump threshold; the stored close stays`;
  return `${j.symbol} ${j.date} close ${j.close} differs from the previous close ${j.reference} beyond the jump threshold; the stored close ${j.storedClose} stays`;
}
