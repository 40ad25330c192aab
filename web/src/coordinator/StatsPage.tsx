import { Button, Checkbox } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { useStats } from '../api/queries';
import { BarChart } from '../shared/BarChart';
import { SelectField } from '../shared/fields';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { statsCsv, statsSections } from './stats';

/** The yearly statistics of the territory: key figures, charts each with its table, a spreadsheet to download. */
export default function StatsPage() {
  usePageTitle('Statistiques');
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [publication, setPublication] = useState(false);
  const stats = useStats(year, publication ? 'public' : 'coordination');
  const data = stats.data;
  const figure = (value: number | 'suppressed' | null | undefined) =>
    value === 'suppressed' ? 'moins de 5' : value === null || value === undefined ? '—' : String(value);
  const days = (value: number | null) =>
    value === null ? 'pas encore mesuré' : value < 1 ? 'moins d’un jour' : `${String(value).replace('.', ',')} jour${value >= 2 ? 's' : ''}`;

  const download = () => {
    if (!data) return;
    const url = URL.createObjectURL(new Blob([statsCsv(data)], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `statistiques-cellule-${data.year}${publication ? '-publication' : ''}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="page">
      <div className="page__head">
        <h1>Statistiques {year}</h1>
        <Button variant="secondary" onClick={download} disabled={!data}>
          Télécharger le tableau (CSV)
        </Button>
      </div>
      <p className="lead">Les situations reçues dans l’année, comptées à partir des seules catégories : aucun nom, aucun récit.</p>
      <div className="filters">
        <SelectField
          label="Année"
          placeholder="Choisir l’année"
          options={Array.from({ length: 5 }, (_, i) => String(thisYear - i)).map((y) => ({ value: y, label: y }))}
          value={String(year)}
          onChange={(value) => value && setYear(Number(value))}
        />
        <Checkbox
          label="Chiffres destinés à une publication (les effectifs de moins de 5 sont masqués)"
          checked={publication}
          onChange={(e) => setPublication(e.target.checked)}
        />
      </div>
      <QueryState isPending={stats.isPending} error={stats.error} what="les statistiques" />
      {data && (
        <div className="stack stack--large">
          <section aria-labelledby="titre-chiffres">
            <h2 id="titre-chiffres">Chiffres clés</h2>
            <dl className="key-figures">
              <div>
                <dt>Saisines reçues</dt>
                <dd>{figure(data.total)}</dd>
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
                unit={section.key === 'byProblem' ? 'mentions' : 'situations'}
              />
            ))
          )}
        </div>
      )}
    </div>
  );
}
