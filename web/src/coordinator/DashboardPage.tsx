import { Link } from 'react-router';
import { useCases, useOrganisations, useTodo } from '../api/queries';
import { RecentlyViewed } from '../situations/RecentlyViewed';
import { ButtonLink } from '../shared/ButtonLink';
import { count, longDate, relativeDay, sessionWhen } from '../shared/format';
import { SESSION_STATUS_LABEL, STATE_LABEL } from '../shared/labels';
import { QueryState } from '../shared/QueryState';
import { coordinationTiles, moreThanListed, type TodoCases } from '../shared/todo';
import { usePageTitle } from '../shared/usePageTitle';
import { dashboard } from './dashboard';

/** A list of the to-do: references linking to their situation, the date that put each there, and how many more. */
function CaseList({ list, empty, date }: { list: TodoCases; empty: string; date: (at: string) => string }) {
  if (!list.count) return <p className="muted">{empty}</p>;
  const more = moreThanListed(list);
  return (
    <ul className="plain-list">
      {list.items.map((c) => (
        <li key={c.id}>
          <Link to={`/situations/${c.id}`}>{c.reference}</Link> — {STATE_LABEL[c.state]}
          {c.at ? `, ${date(c.at)}` : ''}
        </li>
      ))}
      {more > 0 && <li className="muted">et {count(more, 'autre situation', 'autres situations')}</li>}
    </ul>
  );
}

/**
 * The coordinator's home: what waits on the coordination (GET /me/todo: the server's counts and
 * references), the next sessions, the territory's situations by state.
 */
export default function DashboardPage() {
  usePageTitle('Tableau de bord');
  const todo = useTodo();
  const cases = useCases();
  const organisations = useOrganisations();
  const c = todo.data?.coordination;
  const byState = cases.data ? dashboard(cases.data).byState : undefined;
  const orgName = (id: string) => organisations.data?.find((o) => o.id === id)?.name ?? 'organisation';

  return (
    <div className="page">
      <h1>Tableau de bord</h1>
      <QueryState isPending={todo.isPending || cases.isPending} error={todo.error ?? cases.error} what="le tableau de bord" />
      {c && (
        <div className="stack stack--large">
          <section aria-labelledby="titre-a-faire">
            <h2 id="titre-a-faire">Ce qui vous attend</h2>
            <ul className="tiles">
              {coordinationTiles(c).map((tile) => (
                <li key={tile.key} className={tile.late ? 'tile tile--late' : 'tile'}>
                  {tile.to.startsWith('#') ? (
                    <a href={tile.to} className="tile__link">
                      <span className="tile__count">{tile.count}</span>
                      <span className="tile__label">{tile.label}</span>
                    </a>
                  ) : (
                    <Link to={tile.to} className="tile__link">
                      <span className="tile__count">{tile.count}</span>
                      <span className="tile__label">{tile.label}</span>
                    </Link>
                  )}
                </li>
              ))}
            </ul>
          </section>

          <div className="columns">
            <section aria-labelledby="titre-seances" className="info-block">
              <h2 id="titre-seances">Prochaines séances</h2>
              {c.nextSessions.length ? (
                <ul className="plain-list">
                  {c.nextSessions.map((session) => (
                    <li key={session.id}>
                      <Link to={`/coordination/seances/${session.id}`}>{sessionWhen(session.startsAt, session.endsAt)}</Link>
                      <br />
                      <span className="muted">
                        {session.commissionName} · {SESSION_STATUS_LABEL[session.status]} · {count(session.agendaSize, 'situation')} à l’ordre du jour
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
              {byState?.length ? (
                <table className="table table--compact">
                  <caption className="visually-hidden">Nombre de situations du territoire à chaque étape</caption>
                  <thead>
                    <tr>
                      <th scope="col">Étape</th>
                      <th scope="col">Situations</th>
                    </tr>
                  </thead>
                  <tbody>
                    {byState.map(({ state, count: n }) => (
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
            {c.overdueActions.count ? (
              <ul className="plain-list">
                {c.overdueActions.items.map((a) => (
                  <li key={a.id}>
                    <Link to={`/situations/${a.caseId}`}>{a.reference}</Link> — {orgName(a.ownerOrganisationId)}, échéance le {longDate(a.dueAt)} (
                    {relativeDay(a.dueAt)})
                  </li>
                ))}
                {moreThanListed(c.overdueActions) > 0 && (
                  <li className="muted">et {count(moreThanListed(c.overdueActions), 'autre action', 'autres actions')}</li>
                )}
              </ul>
            ) : (
              <p className="muted">Aucune action n’est en retard.</p>
            )}
          </section>

          <section aria-labelledby="titre-points">
            <h2 id="titre-points" tabIndex={-1}>
              Points d’étape à faire sous 30 jours
            </h2>
            <CaseList
              list={c.followUpsDue}
              empty="Aucun point d’étape n’est à faire."
              date={(at) => `point d’étape prévu le ${longDate(at)} (${relativeDay(at)})`}
            />
          </section>

          <section aria-labelledby="titre-consentements">
            <h2 id="titre-consentements" tabIndex={-1}>
              Consentements
            </h2>
            <h3>À recueillir</h3>
            <CaseList list={c.consentMissing} empty="Aucun consentement n’est attendu." date={(at) => `acceptée le ${longDate(at)}`} />
            <h3>À renouveler</h3>
            <CaseList
              list={c.consentExpiring}
              empty="Aucun consentement n’expire dans les 30 jours."
              date={(at) => `consentement valable jusqu’au ${longDate(at)} (${relativeDay(at)})`}
            />
          </section>
        </div>
      )}
      <RecentlyViewed />
    </div>
  );
}
