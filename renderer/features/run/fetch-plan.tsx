/**
 * The plan's market-data fetch plan (SPEC.md g.4): what the run will ask of which sources
 * before it starts, over all chunks in one sentence, then per chunk the symbols, the ranges
 * missing from the cache and the estimated requests, with that chunk's ranges listed under it.
 * The sentence counts a range once: offline nothing is fetched, so a gap stays missing from
 * every chunk whose windows need it, and each of those chunks lists it.
 */
import type { Plan } from '../../state/run-plan';
import { fmtInt } from '../../ui/format';

/** The ranges listed per chunk; more are counted. */
const RANGES_LISTED = 200;

/** Dates from `first` to `last` on one line: a narrow window wraps the text around them, never inside them. */
function DateSpan({ first, last }: { first: string | undefined; last: string | undefined }) {
  return <span className="one-line">{first === last ? first : `${first} .. ${last}`}</span>;
}

export function FetchPlan({ plan }: { plan: Plan }) {
  const chunks = plan.chunks.filter((c) => c.fetch);
  if (chunks.length === 0) {
    if (plan.chunks.length === 0) return null;
    return <p data-testid="fetch-plan">Market data: not run; the cache's closes are used.</p>;
  }
  const fetches = chunks.map((c) => c.fetch!);
  const sources = fetches[0]!.sources;
  const ranges = fetches.flatMap((f) => f.ranges);
  // A plan without the total (an older host) has only the chunks' sums.
  const total = plan.fetch_total ?? { ranges: ranges.length, requested_days: fetches.reduce((s, f) => s + f.requested_days, 0) };
  const requests = fetches.reduce((s, f) => s + f.estimated_requests, 0);
  const symbols = new Set(fetches.flatMap((f) => f.symbols)).size;
  const chain = sources.length ? sources.join(' then ') : null;
  return (
    <div data-testid="fetch-plan">
      <p>
        Market data: {fmtInt(symbols)} symbol(s);{' '}
        {ranges.length === 0 ? (
          <>every needed close is cached, nothing to fetch{chain ? ` (sources: ${chain})` : ''}.</>
        ) : chain ? (
          <>
            {fmtInt(total.ranges)} range(s) missing from the cache ({fmtInt(total.requested_days)} trading days): about <strong>{fmtInt(requests)}</strong> request(s) to {chain}.
          </>
        ) : (
          <>
            {fmtInt(total.ranges)} range(s) missing from the cache ({fmtInt(total.requested_days)} trading days). Offline without a CSV folder nothing is asked: those dates use a fallback close or
            stay missing.
          </>
        )}
      </p>
      {ranges.length > 0 ? (
        <details>
          <summary>Ranges to fetch, per chunk</summary>
          <table className="simple">
            <thead>
              <tr>
                <th>Chunk</th>
                <th>Symbols</th>
                <th>Ranges</th>
                <th>Trading days</th>
                <th>Requests</th>
                <th>Mode</th>
              </tr>
            </thead>
            {/* One group per chunk: its figures, then the ranges it fetches. */}
            {chunks.map((c) => {
              const f = c.fetch!;
              return (
                <tbody key={c.index} data-testid={`fetch-chunk-${c.index + 1}`}>
                  <tr>
                    <th scope="rowgroup" className="one-line">
                      {c.index + 1}: <DateSpan first={c.first_date} last={c.last_date} />
                    </th>
                    <td>{fmtInt(f.symbols.length)}</td>
                    <td>{fmtInt(f.ranges.length)}</td>
                    <td>{fmtInt(f.requested_days)}</td>
                    <td>{fmtInt(f.estimated_requests)}</td>
                    <td className="one-line">{f.fetch_mode.replace('_', ' ')}</td>
                  </tr>
                  {f.ranges.length > 0 ? (
                    <tr className="fetch-ranges-row">
                      <td colSpan={6}>
                        <ul className="fetch-ranges" aria-label={`Ranges of chunk ${c.index + 1}`}>
                          {f.ranges.slice(0, RANGES_LISTED).map((r, i) => (
                            <li key={i}>
                              {r.symbol} <DateSpan first={r.start} last={r.end} /> ({fmtInt(r.trading_days)} trading day(s))
                            </li>
                          ))}
                          {f.ranges.length > RANGES_LISTED ? <li>... and {fmtInt(f.ranges.length - RANGES_LISTED)} more</li> : null}
                        </ul>
                      </td>
                    </tr>
                  ) : null}
                </tbody>
              );
            })}
          </table>
        </details>
      ) : null}
    </div>
  );
}
