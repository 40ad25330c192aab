import type { ReportFigures } from '../api/queries';
import { BarChart } from '../shared/BarChart';
import { activitySections, blocageRows, keyFigures, statsSections } from './stats';

/** A figure as published: the server suppresses 1 to threshold − 1 (« moins de N »); a zero stays 0. */
const figure = (value: number | 'suppressed' | null | undefined, threshold: number) =>
  value === 'suppressed' ? `moins de ${threshold}` : value === null || value === undefined ? '—' : String(value);
const days = (value: number | null) =>
  value === null ? 'pas encore mesuré' : value < 1 ? 'moins d’un jour' : `${String(value).replace('.', ',')} jour${value >= 2 ? 's' : ''}`;

/**
 * The figures of the annual activity report (one territory's, or a region's): key figures, charts
 * each with its table, the "blocages" table. What the server suppressed says « moins de N » (the
 * threshold of policies/statistics.yaml, 5 by default); a zero says 0.
 */
export function ReportBody({ data }: { data: ReportFigures }) {
  const threshold = data.smallCountThreshold;
  return (
    <div className="stack stack--large">
      <section aria-labelledby="titre-chiffres">
        <h2 id="titre-chiffres">Chiffres clés</h2>
        <dl className="key-figures">
          {keyFigures(data).map((f) => (
            <div key={f.label}>
              <dt>{f.label}</dt>
              <dd>{figure(f.value, threshold)}</dd>
            </div>
          ))}
          <div>
            <dt>De l’envoi au premier examen (médiane)</dt>
            <dd>{data.delays.referralToFirstReview === 'suppressed' ? `moins de ${threshold} situations` : days(data.delays.referralToFirstReview)}</dd>
          </div>
          <div>
            <dt>Du premier examen à la clôture (médiane)</dt>
            <dd>{data.delays.reviewToClosure === 'suppressed' ? `moins de ${threshold} situations` : days(data.delays.reviewToClosure)}</dd>
          </div>
          {data.medianDelayDays === 'suppressed' ? (
            <div>
              <dt>Délais médians</dt>
              <dd>trop peu de situations examinées pour les publier</dd>
            </div>
          ) : (
            <>
              <div>
                <dt>De l’envoi à l’acceptation (médiane)</dt>
                <dd>{days(data.medianDelayDays.submittedToAccepted)}</dd>
              </div>
              <div>
                <dt>De l’envoi à l’examen en séance (médiane)</dt>
                <dd>{days(data.medianDelayDays.submittedToReview)}</dd>
              </div>
              <div>
                <dt>De l’examen au plan d’action (médiane)</dt>
                <dd>{days(data.medianDelayDays.reviewToPlan)}</dd>
              </div>
            </>
          )}
        </dl>
      </section>
      {data.total === 0 ? (
        <p className="empty">Aucune saisine n’a été reçue en {data.year}.</p>
      ) : (
        statsSections(data).map((section) => (
          <BarChart
            key={section.key}
            title={section.title}
            rows={section.rows}
            vertical={section.vertical}
            unit={section.unit ?? 'situations'}
            threshold={threshold}
          />
        ))
      )}
      <h2>L’activité de l’année</h2>
      {activitySections(data).map((section) =>
        section.rows.length ? (
          <BarChart key={section.key} title={section.title} rows={section.rows} unit={section.unit ?? 'situations'} threshold={threshold} />
        ) : (
          <p key={section.key} className="muted">
            {section.title} : rien en {data.year}.
          </p>
        ),
      )}
      <section aria-labelledby="titre-blocages">
        <h2 id="titre-blocages">Ce qui bloque</h2>
        <p className="muted">
          Pour la séance plénière du CLSM : les actions reportées ou bloquées dans l’année, par raison et par secteur de l’organisation qui les porte.
        </p>
        {data.blocages.length ? (
          <table className="table table--compact">
            <caption className="visually-hidden">Actions reportées ou bloquées, par raison et secteur</caption>
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Raison</th>
                <th scope="col">Secteur</th>
                <th scope="col">Nombre</th>
              </tr>
            </thead>
            <tbody>
              {blocageRows(data).map((row) => (
                <tr key={`${row.kind}-${row.reason}-${row.sector}`}>
                  <td>{row.kind}</td>
                  <td>{row.reason}</td>
                  <td>{row.sector}</td>
                  <td>{figure(row.count, threshold)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="empty">Aucune action reportée ni bloquée en {data.year}.</p>
        )}
      </section>
    </div>
  );
}
