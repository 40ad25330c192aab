import { useMemo } from 'react';
import { Link } from 'react-router';
import { useCases, useRecentSituations } from '../api/queries';
import { dateTime } from '../shared/format';
import { QueryState } from '../shared/QueryState';

/** The situations this account opened lately, newest first; one it cannot open any more is said so. */
export function RecentlyViewed() {
  const recent = useRecentSituations();
  const cases = useCases();
  const visible = useMemo(() => (cases.data ? new Set(cases.data.map((c) => c.id)) : undefined), [cases.data]);
  return (
    <section className="section" aria-labelledby="titre-recentes">
      <h2 id="titre-recentes">Consultées récemment</h2>
      <QueryState isPending={recent.isPending} error={recent.error} what="les situations consultées récemment" />
      {recent.data && !recent.data.length && <p className="muted">Les situations que vous ouvrirez apparaîtront ici.</p>}
      {recent.data && recent.data.length > 0 && (
        <ul className="recent">
          {recent.data.map((s) => (
            <li key={s.id}>
              {visible && !visible.has(s.id) ? (
                <span>
                  {s.reference} <span className="muted">— vous n’y avez plus accès</span>
                </span>
              ) : (
                <Link to={`/situations/${s.id}`}>{s.reference}</Link>
              )}
              <span className="muted block">consultée le {dateTime(s.viewedAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
