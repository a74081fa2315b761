/**
 * A symbol's text with a line break allowed after each underscore, for a narrow Symbol column
 * whose cells wrap (Column.wrap): "RENTAL_COMMERCIAL" wraps as "RENTAL_" / "COMMERCIAL" rather
 * than inside a word; a symbol without one (an option contract) breaks where it must.
 */
export function BreakableSymbol({ symbol }: { symbol: string }) {
  return (
    <strong>
      {symbol.split(/(?<=_)/).map((part, i) => (
        <span key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </span>
      ))}
    </strong>
  );
}
