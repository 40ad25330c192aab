import { RecentlyViewed } from '../situations/RecentlyViewed';
import { VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAllSessions } from '../api/queries';
import { ButtonLink } from '../shared/ButtonLink';
import { longDate, sessionWhen } from '../shared/format';
import { SESSION_STATUS_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { QueryState } from '../shared/QueryState';
import { Tabs } from '../shared/Tabs';
import { usePageTitle } from '../shared/usePageTitle';
import { attendanceStep, bySessionBucket, mySessions, SESSION_BUCKETS, type MySession, type SessionBucket } from './sessions';

const PRESENCE: Record<ReturnType<typeof attendanceStep>, string> = {
  'no-charter': 'Charte pas encore publiée',
  charter: 'Charte à accepter',
  attend: 'À enregistrer',
  recorded: 'Enregistrée',
  closed: '—',
};

/** The member's home: the charter to accept first, then the sessions as tabs (in progress, upcoming, past). */
export default function MySessionsPage() {
  usePageTitle('Mes séances');
  const data = useAllSessions();
  const [params, setParams] = useSearchParams();
  const list = useMemo(() => mySessions(data.data ?? []), [data.data]);
  const groups = useMemo(() => bySessionBucket(list), [list]);
  const commissions = (data.data ?? []).map((g) => g.commission).filter((c) => c.member || c.invited);
  const tab = params.get('onglet');
  const selected: SessionBucket = SESSION_BUCKETS.some((b) => b.key === tab)
    ? (tab as SessionBucket)
    : (SESSION_BUCKETS.find((b) => groups[b.key].length)?.key ?? 'a-venir');
  const current = SESSION_BUCKETS.find((b) => b.key === selected)!;

  return (
    <div className="page">
      <h1>Mes séances</h1>
      <p className="lead">Les séances de la cellule auxquelles vous participez : acceptez la charte, enregistrez votre présence, puis consultez le dossier.</p>
      <QueryState isPending={data.isPending} error={data.error} what="vos séances" />
      {data.data && !commissions.length && <p className="empty">Vous n’êtes membre d’aucune cellule et n’êtes invité à aucune séance.</p>}
      {commissions.map((c) =>
        c.charterVersion === null ? (
          <Notice key={c.id} type={VariantType.INFO}>
            {c.name} : la coordination n’a pas encore publié de charte de confidentialité.
          </Notice>
        ) : c.acceptedCurrentCharter ? (
          <p key={c.id} className="muted">
            {c.name} : vous avez accepté la charte de confidentialité (version {c.charterVersion}). <Link to={`/charte/${c.id}`}>Relire la charte</Link>
          </p>
        ) : (
          <Notice key={c.id} type={VariantType.WARNING}>
            <p>
              <strong>{c.name} : charte de confidentialité à accepter.</strong> Vous ne pouvez pas participer aux séances ni lire leur dossier avant d’avoir
              accepté sa version actuelle (version {c.charterVersion}).
            </p>
            <p>
              <ButtonLink to={`/charte/${c.id}`} size="small">
                Lire et accepter la charte
              </ButtonLink>
            </p>
          </Notice>
        ),
      )}
      {data.data && list.length > 0 && (
        <Tabs
          label="Mes séances par période"
          items={SESSION_BUCKETS.map((b) => ({ key: b.key, label: b.label, count: groups[b.key].length }))}
          selected={selected}
          onSelect={(key) => setParams({ onglet: key }, { replace: true })}
        >
          {groups[selected].length ? (
            <SessionTable caption={`Séances : ${current.label.toLowerCase()}`} items={groups[selected]} />
          ) : (
            <p className="empty">{current.empty}</p>
          )}
        </Tabs>
      )}
      <RecentlyViewed />
    </div>
  );
}

function SessionTable({ caption, items }: { caption: string; items: MySession[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Séance</th>
            <th scope="col">Cellule</th>
            <th scope="col">État</th>
            <th scope="col">Situations à l’ordre du jour</th>
            <th scope="col">Ma présence</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.session.id}>
              <th scope="row">
                <Link to={`/seances/${item.session.id}`}>{sessionWhen(item.session.startsAt, item.session.endsAt)}</Link>
                {item.session.invited && <span className="muted"> (invitation pour une situation)</span>}
              </th>
              <td>{item.commission.name}</td>
              <td>
                <span className={`state state--session-${item.session.status}`}>{SESSION_STATUS_LABEL[item.session.status]}</span>
                {item.session.closedAt && <span className="muted"> le {longDate(item.session.closedAt)}</span>}
              </td>
              <td>{item.session.agendaCount}</td>
              <td>{PRESENCE[attendanceStep(item)]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
