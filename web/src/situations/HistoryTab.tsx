import { useHistory } from '../api/queries';
import { dateTime } from '../shared/format';
import { EVENT_WORDING, STATE_LABEL } from '../shared/labels';
import { QueryState } from '../shared/QueryState';
import type { CaseEventType, CaseState } from '../api/client';

/** Who did what, when, by organisation (the history never holds identifying data). */
export function HistoryTab({ id }: { id: string }) {
  const history = useHistory(id);
  return (
    <>
      <QueryState isPending={history.isPending} error={history.error} what="l'historique" />
      {history.data && (
        <ol className="timeline">
          {[...history.data].reverse().map((entry) => (
            <li key={entry.version}>
              <p className="timeline__what">
                {entry.event === 'CREATE' ? 'Fiche de saisine créée' : (EVENT_WORDING[entry.event as CaseEventType]?.label ?? entry.event)}
                {' → '}
                <strong>{STATE_LABEL[entry.to as CaseState] ?? entry.to}</strong>
              </p>
              <p className="timeline__meta">
                {dateTime(entry.at)}
                {entry.actorOrganisationName ? ` — ${entry.actorOrganisationName}` : ' — traitement automatique'}
              </p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
