import { Link } from 'react-router';
import { useTodo } from '../api/queries';
import { count, longDate, relativeDay } from '../shared/format';
import { QueryState } from '../shared/QueryState';
import { actionsLine, coordinationTiles, moreThanListed, WAITING_LABEL } from '../shared/todo';
import { daysLeftLabel, KIND_LABEL } from '../rights/words';

const SHOWN = 5;

/**
 * "Ce qui vous attend" on the home page, from GET /me/todo: for a referrer their situations that
 * wait on them and why, for a member their organisation's open actions, for a coordinator the
 * counts of the dashboard, for the DPO the open rights requests by due date. References and
 * counts only.
 */
export function TodoSection() {
  const todo = useTodo();
  const t = todo.data;
  return (
    <section className="section" aria-labelledby="titre-ce-qui-vous-attend">
      <h2 id="titre-ce-qui-vous-attend">Ce qui vous attend</h2>
      <QueryState isPending={todo.isPending} error={todo.error} what="ce qui vous attend" />
      {t?.coordination && (
        <ul className="tiles">
          {coordinationTiles(t.coordination).map((tile) => (
            <li key={tile.key} className={tile.late ? 'tile tile--late' : 'tile'}>
              <Link to={tile.to.startsWith('#') ? `/coordination${tile.to}` : tile.to} className="tile__link">
                <span className="tile__count">{tile.count}</span>
                <span className="tile__label">{tile.label}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {t?.referrals &&
        (t.referrals.count ? (
          <>
            <p>{count(t.referrals.count, 'situation attend', 'situations attendent', 'aucune situation n’attend')} une démarche de votre part :</p>
            <ul className="plain-list">
              {t.referrals.items.slice(0, SHOWN).map((r) => (
                <li key={r.id}>
                  <Link to={`/situations/${r.id}`}>{r.reference}</Link> — {WAITING_LABEL[r.waiting]}
                  {r.waiting === 'consent_expiring' && r.at ? ` (jusqu’au ${longDate(r.at)})` : ''}
                </li>
              ))}
              {t.referrals.count > SHOWN && (
                <li>
                  <Link to="/mes-situations?onglet=a-traiter">Voir les {t.referrals.count} situations</Link>
                </li>
              )}
            </ul>
          </>
        ) : (
          <p className="empty empty--compact">Aucune situation n’attend de démarche de votre part.</p>
        ))}
      {t?.actions && (
        <>
          <p>{actionsLine(t.actions)}</p>
          {t.actions.count > 0 && (
            <ul className="plain-list">
              {t.actions.items.slice(0, SHOWN).map((a) => (
                <li key={a.id}>
                  <Link to={`/situations/${a.caseId}`}>{a.reference}</Link> — échéance le {longDate(a.dueAt)} ({relativeDay(a.dueAt)})
                  {a.overdue ? ', en retard' : ''}
                </li>
              ))}
              {(t.actions.count > SHOWN || moreThanListed(t.actions) > 0) && (
                <li>
                  <Link to="/actions">Voir les {t.actions.count} actions</Link>
                </li>
              )}
            </ul>
          )}
        </>
      )}
      {t?.rights &&
        (t.rights.count ? (
          <>
            <p>
              {count(t.rights.count, 'demande de droits ouverte', 'demandes de droits ouvertes')}
              {t.rights.overdue ? ` dont ${t.rights.overdue} en retard` : ''}
              {t.rights.dueSoon ? `${t.rights.overdue ? ' et' : ' dont'} ${t.rights.dueSoon} à échéance dans les 7 jours` : ''} :
            </p>
            <ul className="plain-list">
              {t.rights.items.slice(0, SHOWN).map((r) => (
                <li key={r.id} className={r.daysLeft < 0 ? 'late' : undefined}>
                  <Link to={`/droits/${r.id}`}>
                    {KIND_LABEL[r.kind]}, reçue le {longDate(r.receivedOn)}
                  </Link>{' '}
                  — réponse due le {longDate(r.dueOn)} ({daysLeftLabel(r.daysLeft)})
                </li>
              ))}
              {t.rights.count > SHOWN && (
                <li>
                  <Link to="/droits">Voir les {t.rights.count} demandes</Link>
                </li>
              )}
            </ul>
          </>
        ) : (
          <p className="empty empty--compact">Aucune demande de droits n’est ouverte.</p>
        ))}
    </section>
  );
}
