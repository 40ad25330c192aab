import { Link } from 'react-router';
import { useActions, useAllSessions, useCases } from '../api/queries';
import { ActionTable } from '../member/ActionsPage';
import { RecentlyViewed } from '../situations/RecentlyViewed';
import { ButtonLink } from '../shared/ButtonLink';
import { count, longDate, relativeDay, sessionWhen } from '../shared/format';
import { SESSION_STATUS_LABEL, STATE_LABEL } from '../shared/labels';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { dashboard } from './dashboard';

/** The coordinator's home: what waits on the coordination, the next sessions, the territory's situations by state. */
export default function DashboardPage() {
  usePageTitle('Tableau de bord');
  const cases = useCases();
  const overdue = useActions({ overdue: true });
  const sessions = useAllSessions();
  const ready = cases.data && overdue.data && sessions.data;
  const d = ready ? dashboard(cases.data, overdue.data, sessions.data) : undefined;

  return (
    <div className="page">
      <h1>Tableau de bord</h1>
      <QueryState
        isPending={cases.isPending || overdue.isPending || sessions.isPending}
        error={cases.error ?? overdue.error ?? sessions.error}
        what="le tableau de bord"
      />
      {d && (
        <div className="stack stack--large">
          <section aria-labelledby="titre-a-faire">
            <h2 id="titre-a-faire">Ce qui vous attend</h2>
            <ul className="tiles">
              <li className="tile">
                <Link to="/coordination/saisines" className="tile__link">
                  <span className="tile__count">{d.toScreen.length}</span>
                  <span className="tile__label">{d.toScreen.length > 1 ? 'saisines à étudier' : 'saisine à étudier'}</span>
                </Link>
              </li>
              <li className="tile">
                <Link to="/coordination/seances" className="tile__link">
                  <span className="tile__count">{d.ready.length}</span>
                  <span className="tile__label">{d.ready.length > 1 ? 'situations prêtes pour une séance' : 'situation prête pour une séance'}</span>
                </Link>
              </li>
              <li className={d.overdue.length ? 'tile tile--late' : 'tile'}>
                <a href="#titre-retard" className="tile__link">
                  <span className="tile__count">{d.overdue.length}</span>
                  <span className="tile__label">{d.overdue.length > 1 ? 'actions en retard' : 'action en retard'}</span>
                </a>
              </li>
              <li className="tile">
                <a href="#titre-points" className="tile__link">
                  <span className="tile__count">{d.followUpsDue.length}</span>
                  <span className="tile__label">{d.followUpsDue.length > 1 ? 'points d’étape à faire' : 'point d’étape à faire'}</span>
                </a>
              </li>
            </ul>
          </section>

          <div className="columns">
            <section aria-labelledby="titre-seances" className="info-block">
              <h2 id="titre-seances">Prochaines séances</h2>
              {d.nextSessions.length ? (
                <ul className="plain-list">
                  {d.nextSessions.map(({ session, commission }) => (
                    <li key={session.id}>
                      <Link to={`/coordination/seances/${session.id}`}>{sessionWhen(session.startsAt, session.endsAt)}</Link>
                      <br />
                      <span className="muted">
                        {commission.name} · {SESSION_STATUS_LABEL[session.status]} · {count(session.agendaCount, 'situation')} à l’ordre du jour
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">Aucune séance n’est prévue.</p>
              )}
              <ButtonLink to="/coordination/seances" size="small" variant="secondary">
                Préparer une séance
              </ButtonLink>
            </section>
            <section aria-labelledby="titre-etapes" className="info-block">
              <h2 id="titre-etapes">Situations par étape</h2>
              {d.byState.length ? (
                <table className="table table--compact">
                  <caption className="visually-hidden">Nombre de situations du territoire à chaque étape</caption>
                  <thead>
                    <tr>
                      <th scope="col">Étape</th>
                      <th scope="col">Situations</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.byState.map(({ state, count: n }) => (
                      <tr key={state}>
                        <th scope="row">{STATE_LABEL[state]}</th>
                        <td>{n}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">Aucune situation pour le moment.</p>
              )}
            </section>
          </div>

          <section aria-labelledby="titre-retard">
            <h2 id="titre-retard" tabIndex={-1}>
              Actions en retard
            </h2>
            {d.overdue.length ? <ActionTable items={d.overdue} owner /> : <p className="muted">Aucune action n’est en retard.</p>}
          </section>

          <section aria-labelledby="titre-points">
            <h2 id="titre-points" tabIndex={-1}>
              Points d’étape à faire
            </h2>
            {d.followUpsDue.length ? (
              <ul className="plain-list">
                {d.followUpsDue.map((c) => (
                  <li key={c.id}>
                    <Link to={`/situations/${c.id}`}>{c.reference}</Link> — {STATE_LABEL[c.state]}, point d’étape prévu le {longDate(c.followUpAt)} (
                    {c.followUpAt ? relativeDay(c.followUpAt) : ''})
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">Aucun point d’étape n’est à faire.</p>
            )}
          </section>
        </div>
      )}
      <RecentlyViewed />
    </div>
  );
}
