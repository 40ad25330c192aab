import { useId } from 'react';

export interface ChartRow {
  label: string;
  value: number | 'suppressed';
}

/**
 * A bar chart with its table (RGAA: information given by a graphic is also given as text). The
 * bars are drawn for the eye and hidden from screen readers; the table beside them carries the
 * same figures, under the same caption. `vertical` draws columns (months of a year).
 */
export function BarChart({
  title,
  rows,
  unit = 'situations',
  vertical = false,
  threshold = 5,
}: {
  title: string;
  rows: ChartRow[];
  unit?: string;
  vertical?: boolean;
  /** A suppressed figure says « moins de <threshold> » (policies/statistics.yaml); a zero says 0. */
  threshold?: number;
}) {
  const id = useId();
  const numbers = rows.map((r) => (typeof r.value === 'number' ? r.value : 0));
  const max = Math.max(1, ...numbers);
  const shown = (value: ChartRow['value']) => (value === 'suppressed' ? `moins de ${threshold}` : String(value));
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart__title">
        {title}
      </figcaption>
      <div className={vertical ? 'chart__body chart__body--vertical' : 'chart__body'}>
        <div className={vertical ? 'chart__columns' : 'chart__bars'} aria-hidden="true">
          {rows.map((row, i) =>
            vertical ? (
              <div key={row.label} className="chart__column">
                <span className="chart__value">{numbers[i] || ''}</span>
                <span className="chart__column-bar" style={{ height: `${(numbers[i] / max) * 100}%` }} />
                <span className="chart__column-label">{row.label.slice(0, 3)}</span>
              </div>
            ) : (
              <div key={row.label} className="chart__row">
                <span className="chart__label">{row.label}</span>
                <span className="chart__track">
                  <span className="chart__bar" style={{ width: `${(numbers[i] / max) * 100}%` }} />
                </span>
                <span className="chart__value">{shown(row.value)}</span>
              </div>
            ),
          )}
        </div>
        {vertical ? (
          <div className="table-wrap">
            <table className="table table--compact chart__table chart__table--wide">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <td />
                  {rows.map((row) => (
                    <th scope="col" key={row.label}>
                      {row.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">Nombre de {unit}</th>
                  {rows.map((row) => (
                    <td key={row.label}>{shown(row.value)}</td>
                  ))}
                </tr>
              </tbody>
            </table>
          </div>
        ) : (
          <table className="table table--compact chart__table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Catégorie</th>
                <th scope="col">Nombre de {unit}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  <td>{shown(row.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </figure>
  );
}
