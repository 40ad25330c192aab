import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useCases } from '../api/queries';
import { SituationTable } from '../situations/SituationTable';
import { ButtonLink } from '../shared/ButtonLink';
import { QueryState } from '../shared/QueryState';
import { Tabs } from '../shared/Tabs';
import { situationTabs } from '../situations/situationTabs';
import { usePageTitle } from '../shared/usePageTitle';
import { BUCKETS, byBucket, isBucket, type Bucket } from './buckets';

/** The referrer's home: their situations by what they wait for, the counts on the tabs. */
export default function MySituationsPage() {
  usePageTitle('Mes situations');
  const cases = useCases();
  const [params, setParams] = useSearchParams();
  const tab = params.get('onglet');
  const groups = useMemo(() => byBucket(cases.data ?? []), [cases.data]);
  // Without a tab in the URL: the first one that holds something, "à traiter" first.
  const selected: Bucket = isBucket(tab) ? tab : (BUCKETS.find((b) => groups[b.key].length)?.key ?? 'a-traiter');
  const current = BUCKETS.find((b) => b.key === selected)!;

  return (
    <div className="page">
      <div className="page__head">
        <h1>Mes situations</h1>
        <ButtonLink to="/saisine/nouvelle">Nouvelle saisine</ButtonLink>
      </div>
      <QueryState isPending={cases.isPending} error={cases.error} what="vos situations" />
      {cases.data && (
        <Tabs
          label="Mes situations par étape"
          items={situationTabs(BUCKETS, groups)}
          selected={selected}
          onSelect={(key) => setParams({ onglet: key }, { replace: true })}
        >
          {groups[selected].length ? (
            <SituationTable caption={`${current.label} : ${groups[selected].length} situation(s)`} items={groups[selected]} />
          ) : (
            <p className="empty">{current.empty}</p>
          )}
        </Tabs>
      )}
    </div>
  );
}
