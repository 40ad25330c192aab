import { Link } from 'react-router';
import { useCaseSessionRecords, useHistory } from '../api/queries';
import { dateTime, longDate } from '../shared/format';
import { EVENT_WORDING, STATE_LABEL } from '../shared/labels';
import { QueryState } from '../shared/QueryState';
import type { CaseEventType, CaseState } from '../api/client';

/** Who did what, when, by organisation (the history never holds identifying data). */
export function HistoryTab({ id }: { id: string }) {
  const history = useHistory(id);
  return (
    <>
      <SessionRecords id={id} />
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

/**
 * The decisions of the sessions where the situation was examined: the closed records this account
 * may read (a referrer: their own situations; the coordinator; the session's participants).
 */
function SessionRecords({ id }: { id: string }) {
  const records = useCaseSessionRecords(id);
  if (!records.data?.items.length) return null;
  return (
    <section aria-labelledby="titre-releves" className="session-records">
      <h3 id="titre-releves">Relevés de décisions</h3>
      <ul>
        {records.data.items.map((r) => (
          <li key={r.sessionId}>
            <Link to={`/seances/${r.sessionId}/releve`}>Séance du {longDate(r.startsAt)}</Link>
            <span className="muted"> — relevé clos le {longDate(r.closedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
