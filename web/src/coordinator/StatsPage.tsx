import { Checkbox } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { useStats } from '../api/queries';
import { SelectField } from '../shared/fields';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { ReportBody } from './ReportBody';
import { reportUrl } from './stats';

/**
 * The yearly statistics and annual activity report of the territory: key figures, charts each with
 * its table, the "blocages" table, and the server's CSV and PDF of the same figures to download.
 */
const LINK = 'c__button c__button--brand c__button--brand--secondary c__button--medium';

export default function StatsPage() {
  usePageTitle('Statistiques');
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [publication, setPublication] = useState(false);
  const audience = publication ? 'public' : 'coordination';
  const stats = useStats(year, audience);
  const data = stats.data;

  return (
    <div className="page">
      <div className="page__head">
        <h1>Statistiques {year}</h1>
        <div className="page__downloads">
          <a className={LINK} href={reportUrl(year, audience, 'csv')} download>
            Télécharger le tableau (CSV)
          </a>
          <a className={LINK} href={reportUrl(year, audience, 'pdf')} download>
            Rapport d’activité à imprimer (PDF)
          </a>
        </div>
      </div>
      <p className="lead">
        Les situations reçues dans l’année et l’activité de la cellule, comptées à partir des seules catégories : aucun nom, aucun récit, aucune référence de
        situation.
      </p>
      <div className="filters">
        <SelectField
          label="Année"
          placeholder="Choisir l’année"
          options={Array.from({ length: 5 }, (_, i) => String(thisYear - i)).map((y) => ({ value: y, label: y }))}
          value={String(year)}
          onChange={(value) => value && setYear(Number(value))}
        />
        <Checkbox
          label="Chiffres destinés à une publication (les effectifs de 1 à 4 sont masqués, un effectif nul reste 0)"
          checked={publication}
          onChange={(e) => setPublication(e.target.checked)}
        />
      </div>
      <QueryState isPending={stats.isPending} error={stats.error} what="les statistiques" />
      {data && <ReportBody data={data} />}
    </div>
  );
}
