/** The options of a portfolio picker: an optional "all" entry, then every portfolio by name. */
import type { CommandOutput } from '../../core/api/contract';

type PortfolioList = CommandOutput<'listPortfolios'> | undefined;

export function PortfolioOptions({ list, allLabel }: { list: PortfolioList; allLabel?: string }) {
  return (
    <>
      {allLabel !== undefined ? <option value="">{allLabel}</option> : null}
      {(list?.portfolios ?? []).map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </>
  );
}
