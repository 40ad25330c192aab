import { Button, Modal, ModalSize, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import type { CaseView } from '../api/client';
import {
  useAgenda,
  useAllSessions,
  useCase,
  useCases,
  useDossier,
  useInvitations,
  useInvite,
  useSessionStatus,
  type Commission,
  type Session,
} from '../api/queries';
import { SelectField } from '../shared/fields';
import { count, longDate, sessionWhen, time } from '../shared/format';
import { SESSION_STATUS_LABEL, STATE_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { fieldErrors, generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { Tabs } from '../shared/Tabs';
import { usePageTitle } from '../shared/usePageTitle';
import { ConsentBanner } from '../situations/ConsentBanner';
import { EventActions } from '../situations/EventActions';
import { PlanTab } from '../situations/PlanTab';
import { AttendanceSheet } from '../sessions/AttendanceSheet';
import { RecordEditor } from '../sessions/RecordEditor';

type Tab = 'ordre-du-jour' | 'invitations' | 'presences' | 'releve';
const TABS: { key: Tab; label: string }[] = [
  { key: 'ordre-du-jour', label: 'Ordre du jour' },
  { key: 'invitations', label: 'Invitations' },
  { key: 'presences', label: 'Feuille de présence' },
  { key: 'releve', label: 'Relevé de décisions' },
];

/**
 * One session for the coordinator: before it, the agenda is built (situations ready for review
 * are scheduled, others unscheduled) and professionals are invited for one situation; once it
 * is opened, each situation is reviewed in turn — start the review, adopt the plan, defer or
 * close — with exactly the events the server allows; then the session is closed.
 */
export default function CoordinatorSessionPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const data = useAllSessions();
  const [params, setParams] = useSearchParams();
  const [done, setDone] = useState<string | undefined>(
    (location.state as { created?: boolean } | null)?.created ? 'La séance est créée. Inscrivez maintenant les situations à son ordre du jour.' : undefined,
  );
  const found = (data.data ?? []).flatMap(({ commission, sessions }) => sessions.map((session) => ({ session, commission }))).find((i) => i.session.id === id);
  const day = found ? sessionWhen(found.session.startsAt, found.session.endsAt) : undefined;
  usePageTitle(day ? `Séance du ${day.split(',')[0]}` : 'Séance');
  const tab = (TABS.find((t) => t.key === params.get('onglet'))?.key ?? 'ordre-du-jour') as Tab;

  if (!found) {
    return (
      <div className="page">
        <h1>Séance</h1>
        <QueryState isPending={data.isPending} error={data.error} what="la séance" />
        {data.data && <p>Cette séance n’existe pas.</p>}
      </div>
    );
  }
  const { session, commission } = found;

  return (
    <div className="page">
      <div className="page__head">
        <div>
          <h1>Séance du {day}</h1>
          <p className="page__sub">
            {commission.name} · <span className={`state state--session-${session.status}`}>{SESSION_STATUS_LABEL[session.status]}</span> ·{' '}
            {count(session.agendaCount, 'situation')} à l’ordre du jour
          </p>
        </div>
        <SessionStatusButton session={session} onDone={setDone} />
      </div>
      {done && (
        <div role="status">
          <Notice type={VariantType.SUCCESS} canClose onClose={() => setDone(undefined)}>
            {done}
          </Notice>
        </div>
      )}
      <Tabs label="Sections de la séance" items={TABS} selected={tab} onSelect={(key) => setParams({ onglet: key }, { replace: true })}>
        {tab === 'ordre-du-jour' &&
          (session.status === 'open' ? (
            <InProgress session={session} onDone={setDone} />
          ) : (
            <AgendaBuilder session={session} commission={commission} onDone={setDone} />
          ))}
        {tab === 'invitations' && <Invitations session={session} />}
        {tab === 'presences' && <AttendanceSheet session={session} />}
        {tab === 'releve' && <RecordEditor session={session} />}
      </Tabs>
    </div>
  );
}

function SessionStatusButton({ session, onDone }: { session: Session; onDone: (message: string) => void }) {
  const change = useSessionStatus(session.id);
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  if (session.status === 'closed') return <p className="muted">Séance terminée le {longDate(session.closedAt)}.</p>;
  const opening = session.status === 'planned';
  const label = opening ? 'Ouvrir la séance' : 'Clore la séance';
  const confirm = async () => {
    setFailure(undefined);
    try {
      await change.mutateAsync(opening ? 'open' : 'close');
      setConfirming(false);
      onDone(
        opening
          ? 'La séance est ouverte : les membres présents accèdent au dossier.'
          : 'La séance est close : ses présents gardent le dossier jusqu’à la clôture du relevé de décisions.',
      );
    } catch (error) {
      setFailure(generalError(error));
    }
  };
  return (
    <>
      <Button color={opening ? 'brand' : 'error'} onClick={() => setConfirming(true)}>
        {label}
      </Button>
      {confirming && (
        <Modal isOpen onClose={() => setConfirming(false)} size={ModalSize.MEDIUM} title={label}>
          <div className="stack">
            <p>
              {opening
                ? 'Les membres qui ont accepté la charte et enregistré leur présence accèdent au dossier pseudonymisé des situations de l’ordre du jour, jusqu’à la clôture.'
                : 'Seuls les présents garderont le dossier, jusqu’à la clôture du relevé de décisions. Les situations qui n’ont pas été examinées restent à reporter depuis leur page.'}
            </p>
            {failure && (
              <div role="alert">
                <Notice type={VariantType.ERROR}>{failure}</Notice>
              </div>
            )}
            <div className="form-actions">
              <Button color={opening ? 'brand' : 'error'} onClick={() => void confirm()} disabled={change.isPending}>
                Confirmer
              </Button>
              <Button color="neutral" variant="secondary" onClick={() => setConfirming(false)}>
                Annuler
              </Button>
            </div>
          </div>
        </Modal>
      )}
    </>
  );
}

/** Before the session (and after it, read only): the agenda, and the situations ready to be scheduled. */
function AgendaBuilder({ session, commission, onDone }: { session: Session; commission: Commission; onDone: (message: string) => void }) {
  const agenda = useAgenda(session.id);
  const cases = useCases();
  const ready = (cases.data ?? []).filter((c) => c.state === 'ready_for_review' && c.commissionId === commission.id);
  return (
    <div className="stack stack--large">
      <section aria-labelledby="titre-odj">
        <h2 id="titre-odj">Ordre du jour</h2>
        <QueryState isPending={agenda.isPending} error={agenda.error} what="l’ordre du jour" />
        {agenda.data &&
          (agenda.data.items.length ? (
            <ol className="agenda">
              {agenda.data.items.map((item) => (
                <li key={item.caseId} className="agenda__item">
                  <div className="agenda__head">
                    <Link to={`/situations/${item.caseId}`}>Situation {item.reference}</Link>
                    <span className={`state state--${item.state}`}>{STATE_LABEL[item.state]}</span>
                  </div>
                  {session.status === 'planned' && <CaseActions caseId={item.caseId} sessionId={session.id} onDone={onDone} />}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">Aucune situation n’est encore inscrite.</p>
          ))}
      </section>
      {session.status === 'planned' && (
        <section aria-labelledby="titre-pretes">
          <h2 id="titre-pretes">Situations prêtes pour un examen</h2>
          <QueryState isPending={cases.isPending} error={cases.error} what="les situations" />
          {cases.data &&
            (ready.length ? (
              <ul className="agenda">
                {ready.map((c) => (
                  <li key={c.id} className="agenda__item">
                    <div className="agenda__head">
                      <Link to={`/situations/${c.id}`}>Situation {c.reference}</Link>
                      <span className="muted">prête depuis le {longDate(c.updatedAt)}</span>
                    </div>
                    <CaseActions caseId={c.id} sessionId={session.id} onDone={onDone} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">Aucune autre situation n’attend d’être inscrite.</p>
            ))}
        </section>
      )}
    </div>
  );
}

/** A situation's own actions (exactly its allowedEvents), with this session as the one SCHEDULE goes to. */
function CaseActions({ caseId, sessionId, onDone }: { caseId: string; sessionId: string; onDone: (message: string) => void }) {
  const situation = useCase(caseId);
  if (!situation.data) return <QueryState isPending={situation.isPending} error={situation.error} what="les actions possibles" />;
  return <EventActions view={situation.data} sessionId={sessionId} onDone={onDone} label={`Actions possibles pour ${situation.data.reference}`} />;
}

/** The session in progress: each situation of the agenda as the coordination sees it, reviewed in turn. */
function InProgress({ session, onDone }: { session: Session; onDone: (message: string) => void }) {
  const dossier = useDossier(session.id);
  const agenda = useAgenda(session.id);
  // A situation whose plan was adopted in this session has left its open agenda (and the dossier):
  // it stays listed here as done, with a link to its page.
  const concluded = agenda.data?.items.filter((item) => item.concludedAt) ?? [];
  const open = dossier.data?.items ?? [];
  return (
    <section aria-labelledby="titre-en-cours" className="stack stack--large">
      <h2 id="titre-en-cours">Examen des situations</h2>
      <QueryState isPending={dossier.isPending} error={dossier.error} what="les situations de la séance" />
      {dossier.data && !open.length && !concluded.length && <p className="muted">L’ordre du jour est vide.</p>}
      {open.map((view, i) => (
        <ReviewItem key={view.id} view={view} position={i + 1} onDone={onDone} sessionId={session.id} />
      ))}
      {concluded.length > 0 && (
        <section aria-labelledby="titre-plans-adoptes" className="stack">
          <h3 id="titre-plans-adoptes">Plans adoptés pendant cette séance</h3>
          <ul className="plain-list">
            {concluded.map((item) => (
              <li key={item.caseId}>
                <Link to={`/situations/${item.caseId}`}>Situation {item.reference}</Link> — {STATE_LABEL[item.state]}, plan adopté à {time(item.concludedAt!)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

function ReviewItem({ view, position, onDone, sessionId }: { view: CaseView; position: number; onDone: (message: string) => void; sessionId: string }) {
  return (
    <article className="dossier-item" aria-labelledby={`examen-${view.id}`}>
      <div className="dossier-item__head">
        <h3 id={`examen-${view.id}`}>
          {position}. <Link to={`/situations/${view.id}`}>Situation {view.reference}</Link>
        </h3>
        <span className={`state state--${view.state}`}>{STATE_LABEL[view.state]}</span>
      </div>
      {view.summary?.question && (
        <p>
          <strong>Question posée :</strong> {view.summary.question}
        </p>
      )}
      <ConsentBanner view={view} />
      {view.plan && view.plan.actions.length > 0 && <PlanTab view={view} />}
      <EventActions
        view={view}
        onDone={(message) => onDone(`${view.reference} — ${message}`)}
        sessionId={sessionId}
        label={`Actions possibles pour ${view.reference}`}
      />
    </article>
  );
}

/** Invitations for one situation: the referrer, or a professional already involved (DESIGN.md, "Who is in a session"). */
function Invitations({ session }: { session: Session }) {
  const invitations = useInvitations(session.id);
  const agenda = useAgenda(session.id);
  const invite = useInvite(session.id);
  const [userId, setUserId] = useState('');
  const [caseId, setCaseId] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = { ...(userId ? {} : { userId: 'Choisissez la personne à inviter.' }), ...(caseId ? {} : { caseId: 'Choisissez la situation.' }) };
    setErrors(problems);
    setFailure(undefined);
    setDone(undefined);
    if (Object.keys(problems).length) return;
    try {
      await invite.mutateAsync({ userId, caseId });
      const who = invitations.data?.candidates.find((c) => c.userId === userId)?.displayName;
      setDone(`${who ?? 'La personne'} est invitée pour cette situation.`);
      setUserId('');
      setCaseId('');
    } catch (error) {
      setErrors(fieldErrors(error));
      setFailure(generalError(error));
    }
  };

  return (
    <div className="stack stack--large">
      <section aria-labelledby="titre-invites">
        <h2 id="titre-invites">Personnes invitées</h2>
        <p className="muted">Une invitation vaut pour une situation et cette séance seulement. Les membres de la cellule n’ont pas besoin d’invitation.</p>
        <QueryState isPending={invitations.isPending} error={invitations.error} what="les invitations" />
        {invitations.data &&
          (invitations.data.items.length ? (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Personnes invitées à la séance</caption>
                <thead>
                  <tr>
                    <th scope="col">Personne</th>
                    <th scope="col">Organisation</th>
                    <th scope="col">Pour la situation</th>
                    <th scope="col">Présence</th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.data.items.map((i) => (
                    <tr key={`${i.userId}-${i.caseId}`}>
                      <th scope="row">{i.displayName}</th>
                      <td>{i.organisationName ?? '—'}</td>
                      <td>{i.reference}</td>
                      <td>{i.attendanceRecorded ? 'Enregistrée' : 'Pas encore'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">Personne n’est invité pour le moment.</p>
          ))}
      </section>
      {session.status !== 'closed' && invitations.data && agenda.data && (
        <form className="form-section" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="titre-inviter">
          <h2 id="titre-inviter">Inviter pour une situation</h2>
          {done && (
            <div role="status">
              <Notice type={VariantType.SUCCESS}>{done}</Notice>
            </div>
          )}
          {agenda.data.items.length === 0 ? (
            <p className="muted">Inscrivez d’abord une situation à l’ordre du jour.</p>
          ) : (
            <>
              <div className="grid-2">
                <SelectField
                  label="Personne"
                  options={invitations.data.candidates.map((c) => ({
                    value: c.userId,
                    label: `${c.displayName}${c.organisationName ? ` — ${c.organisationName}` : ''}`,
                  }))}
                  value={userId}
                  onChange={setUserId}
                  error={errors.userId}
                />
                <SelectField
                  label="Situation"
                  options={agenda.data.items.map((i) => ({ value: i.caseId, label: i.reference }))}
                  value={caseId}
                  onChange={setCaseId}
                  error={errors.caseId}
                />
              </div>
              {failure && (
                <div role="alert">
                  <Notice type={VariantType.ERROR}>{failure}</Notice>
                </div>
              )}
              <div className="form-actions">
                <Button type="submit" disabled={invite.isPending}>
                  Inviter
                </Button>
              </div>
            </>
          )}
        </form>
      )}
    </div>
  );
}
