/**
 * The portfolios a command is limited to (`--portfolio ID`, repeatable; a contract command's
 * `portfolios`): each given value must name exactly one known portfolio, by its id or by a
 * prefix of at least 8 characters (the short form plan tables print), in either case (ids are
 * lowercase UUIDs, so `FCD71196` names fcd71196-...). Anything else is a usage error listing the
 * known portfolios, each as its id and name (the CLI has no other list of them, and an id alone
 * does not say which portfolio it is); a report limited to an unknown id would otherwise check
 * nothing and pass.
 */
import { shownValue } from '../api/ascii-json';
import { usageError } from '../api/errors';

export const MIN_ID_PREFIX = 8;

interface KnownPortfolio {
  readonly id: string;
  readonly name: string;
}

/**
 * `<id>  "<name>", ...`: the portfolios an error offers, by name (then id), so every command
 * lists them in one order; the name as an error echoes a value (quoted, ASCII, cut when long).
 */
function portfolioListText(portfolios: readonly KnownPortfolio[]): string {
  const byName = [...portfolios].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
  return byName.map((p) => `${p.id}  ${shownValue(p.name)}`).join(', ');
}

/** The full ids of `requested`, in order, without repeats; [] (every portfolio) for []. */
export function resolvePortfolioIds(known: readonly KnownPortfolio[], requested: readonly string[]): string[] {
  const ids = known.map((p) => p.id);
  const unknown: string[] = [];
  const out = new Set<string>();
  for (const r of requested) {
    const wanted = r.toLowerCase();
    const exact = ids.includes(r) ? r : ids.find((id) => id.toLowerCase() === wanted);
    if (exact !== undefined) {
      out.add(exact);
      continue;
    }
    const matches = r.length >= MIN_ID_PREFIX ? known.filter((p) => p.id.toLowerCase().startsWith(wanted)) : [];
    if (matches.length > 1) throw usageError(`portfolio ${shownValue(r)} is ambiguous: it starts ${portfolioListText(matches)}; give more of the id`);
    if (matches.length === 1) out.add(matches[0]!.id);
    else unknown.push(r);
  }
  if (unknown.length) {
    throw usageError(`unknown portfolio ${unknown.map(shownValue).join(', ')}; known ids: ${portfolioListText(known) || 'none'} (an id or its first ${MIN_ID_PREFIX} or more characters)`);
  }
  return [...out];
}
