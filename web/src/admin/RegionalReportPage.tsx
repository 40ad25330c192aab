import { Checkbox } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { useRegionalStats, useTerritories } from '../api/queries';
import { ReportBody } from '../coordinator/ReportBody';
import { regionalReportUrl } from '../coordinator/stats';
import { ChoiceGroup, SelectField } from '../shared/fields';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';

const LINK = 'c__button c__button--brand c__button--brand--secondary c__button--medium';

/**
 * The regional view of the annual activity report: several territories (CLSM) together, for the
 * administration. Always the figures meant for publication: aggregated across territories, a
 * count from 1 to 4 could still point to one person, so the server masks it; a zero shows 0.
 */
export default function RegionalReportPage() {
  usePageTitle('Rapport régional');
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  // None ticked: every territory.
  const [chosen, setChosen] = useState<string[]>([]);
  const territories = useTerritories();
  const stats = useRegionalStats(year, chosen);
  const data = stats.data;
  const toggle = (id: string, on: boolean) => setChosen((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));

  return (
    <div className="page">
      <div className="page__head">
        <h1>Rapport régional {year}</h1>
        <div className="page__downloads">
          <a className={LINK} href={regionalReportUrl(year, chosen)} download>
            Télécharger le tableau (CSV)
          </a>
        </div>
      </div>
      <p className="lead">
        L’activité de plusieurs cellules réunies, pour une vue régionale (ARS, COPIL). Ce sont toujours les chiffres destinés à une publication : un effectif de
        1 à {(data?.smallCountThreshold ?? 5) - 1} est masqué (« moins de {data?.smallCountThreshold ?? 5} »), même additionné sur plusieurs territoires ; un
        effectif nul reste affiché 0. Aucun nom, aucune référence de situation.
      </p>
      <div className="filters">
        {territories.data && (
          <ChoiceGroup legend="Territoires réunis" hint="Aucun coché : tous les territoires.">
            {territories.data.map((t) => (
              <Checkbox key={t.id} label={t.name} checked={chosen.includes(t.id)} onChange={(e) => toggle(t.id, e.target.checked)} />
            ))}
          </ChoiceGroup>
        )}
        <SelectField
          label="Année"
          placeholder="Choisir l’année"
          options={Array.from({ length: 5 }, (_, i) => String(thisYear - i)).map((y) => ({ value: y, label: y }))}
          value={String(year)}
          onChange={(value) => value && setYear(Number(value))}
        />
      </div>
      <QueryState isPending={territories.isPending} error={territories.error} what="les territoires" />
      <QueryState isPending={stats.isPending} error={stats.error} what="le rapport régional" />
      {data && (
        <>
          <p className="lead">
            {data.territories.length === 0
              ? 'Aucun territoire.'
              : `${data.territories.length} territoire${data.territories.length > 1 ? 's' : ''} : ${data.territories.map((t) => t.name).join(', ')}.`}
          </p>
          <ReportBody data={data} />
        </>
      )}
    </div>
  );
}
