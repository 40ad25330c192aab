import { useCases } from '../api/queries';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { SituationTable } from './SituationTable';

/**
 * The situations a member or a coordinator may see (those on the agenda of a session they attend,
 * those their organisation owns an action on, those of their territory for the coordination).
 * Their own dashboards come in the next phase.
 */
export default function SituationsPage() {
  usePageTitle('Situations');
  const cases = useCases();
  const items = [...(cases.data ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return (
    <div className="page">
      <h1>Situations</h1>
      <QueryState isPending={cases.isPending} error={cases.error} what="les situations" />
      {cases.data &&
        (items.length ? (
          <SituationTable caption="Situations que vous pouvez consulter" items={items} nextStep={false} />
        ) : (
          <p className="empty">Aucune situation ne vous concerne pour le moment.</p>
        ))}
    </div>
  );
}
