import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useAllSessions, useAttend, useDossier } from '../api/queries';
import { ButtonLink } from '../shared/ButtonLink';
import { count, sessionWhen } from '../shared/format';
import { RELATION_LABEL, SESSION_STATUS_LABEL, STATE_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { ConsentBanner } from '../situations/ConsentBanner';
import { DisclosureList } from '../situations/DisclosureList';
import { InformationsTab } from '../situations/InformationsTab';
import { PlanTab } from '../situations/PlanTab';
import { attendanceStep, dossierAvailability, mySessions } from './sessions';
import { ContributionForm } from '../sessions/ContributionForm';

/** The written contributions left on one situation before the session. */
function Contributions({ items }: { items: { authorName: string; organisationName: string | null; text: string | null; held: boolean }[] }) {
  if (!items.length) return null;
  return (
    <section className="stack">
      <p className="record__label">Contributions écrites</p>
      <ul className="plain-list">
        {items.map((c, i) => (
          <li key={i}>
            <strong>{c.organisationName ?? c.authorName}</strong> :{' '}
            {c.text ?? 'texte retenu : il nomme la personne (le référent est invité à le faire reformuler)'}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * One session for a member: the three steps in order — the charter, attendance, the dossier —
 * and, while the session is open, the pseudonymised dossier: for each situation, what is
 * released to this account and, for the rest, why not.
 */
export default function MemberSessionPage() {
  const { id = '' } = useParams();
  const data = useAllSessions();
  const item = mySessions(data.data ?? []).find((i) => i.session.id === id);
  usePageTitle(item ? `Séance du ${sessionWhen(item.session.startsAt, item.session.endsAt).split(',')[0]}` : 'Séance');
  const attend = useAttend(id);
  const [failure, setFailure] = useState<string | undefined>();
  const availability = item ? dossierAvailability(item) : { available: false };
  const dossier = useDossier(id, availability.available);

  if (!item) {
    return (
      <div className="page">
        <h1>Séance</h1>
        <QueryState isPending={data.isPending} error={data.error} what="la séance" />
        {data.data && <p>Cette séance n’existe pas, ou vous n’y participez pas.</p>}
      </div>
    );
  }
  const { session, commission } = item;
  const step = attendanceStep(item);

  const onAttend = async () => {
    setFailure(undefined);
    try {
      await attend.mutateAsync();
    } catch (error) {
      setFailure(generalError(error));
    }
  };

  return (
    <div className="page">
      <div className="page__head">
        <div>
          <h1>Séance du {sessionWhen(session.startsAt, session.endsAt)}</h1>
          <p className="page__sub">
            {commission.name} · <span className={`state state--session-${session.status}`}>{SESSION_STATUS_LABEL[session.status]}</span> ·{' '}
            {count(session.agendaCount, 'situation')} à l’ordre du jour
          </p>
        </div>
      </div>

      <ol className="steps" aria-label="Étapes pour participer">
        <li className={step === 'charter' || step === 'no-charter' ? 'steps__item steps__item--current' : 'steps__item steps__item--done'}>
          <h2 className="steps__title">1. La charte de confidentialité</h2>
          {step === 'no-charter' && <p>La coordination n’a pas encore publié de charte : personne ne peut encore participer.</p>}
          {step === 'charter' && (
            <>
              <p>Lisez et acceptez la version actuelle de la charte (version {commission.charterVersion}) avant de participer.</p>
              <ButtonLink to={`/charte/${commission.id}`} size="small">
                Lire et accepter la charte
              </ButtonLink>
            </>
          )}
          {step !== 'charter' && step !== 'no-charter' && (
            <p>
              Acceptée (version {commission.charterVersion}). <Link to={`/charte/${commission.id}`}>Relire la charte</Link>
            </p>
          )}
        </li>
        <li className={step === 'attend' ? 'steps__item steps__item--current' : step === 'recorded' ? 'steps__item steps__item--done' : 'steps__item'}>
          <h2 className="steps__title">2. Votre présence</h2>
          {step === 'recorded' && <p>Votre présence est enregistrée.</p>}
          {step === 'attend' && (
            <>
              <p>Enregistrez votre présence pour accéder au dossier de la séance.</p>
              <Button size="small" onClick={() => void onAttend()} disabled={attend.isPending}>
                Enregistrer ma présence
              </Button>
            </>
          )}
          {(step === 'charter' || step === 'no-charter') && <p className="muted">Possible une fois la charte acceptée.</p>}
          {step === 'closed' && <p className="muted">{session.attendanceRecorded ? 'Vous étiez présent(e).' : 'La séance est terminée.'}</p>}
          {failure && (
            <div role="alert">
              <Notice type={VariantType.ERROR}>{failure}</Notice>
            </div>
          )}
        </li>
        <li className={availability.available ? 'steps__item steps__item--current' : 'steps__item'}>
          <h2 className="steps__title">3. Le dossier de la séance</h2>
          {availability.available ? (
            <p>
              {session.status === 'planned'
                ? 'Le dossier pseudonymisé est ouvert pour préparer la séance. Si vous ne pouvez pas venir, laissez une contribution écrite pour chaque situation.'
                : 'Le dossier pseudonymisé reste ouvert aux présents jusqu’à la clôture du relevé de décisions.'}{' '}
              Ce qui ne vous est pas communiqué est signalé, avec la raison.
            </p>
          ) : (
            <p className="muted">{availability.why}</p>
          )}
        </li>
      </ol>

      {session.status !== 'planned' && (session.attendanceRecorded || session.recordClosed) && (
        <p>
          <Link to={`/seances/${session.id}/releve`}>Lire le relevé de décisions de la séance</Link>
        </p>
      )}

      {availability.available && (
        <section aria-labelledby="titre-dossier" className="stack stack--large">
          <h2 id="titre-dossier">Dossier de la séance</h2>
          <QueryState isPending={dossier.isPending} error={dossier.error} what="le dossier" />
          {dossier.data && !dossier.data.items.length && <p className="empty">Aucune situation de l’ordre du jour ne vous est communiquée.</p>}
          {dossier.data?.items.map((view) => (
            <article key={view.id} className="dossier-item" aria-labelledby={`dossier-${view.id}`}>
              <div className="dossier-item__head">
                <h3 id={`dossier-${view.id}`}>
                  <Link to={`/situations/${view.id}`}>Situation {view.reference}</Link>
                </h3>
                <span className={`state state--${view.state}`}>{STATE_LABEL[view.state]}</span>
              </div>
              <p className="why">Vous voyez cette situation parce que {view.relations.map((r) => RELATION_LABEL[r]).join(', et ')}.</p>
              <ConsentBanner view={view} />
              <DisclosureList view={view} />
              <InformationsTab view={view} headingLevel={4} showWithheld={false} />
              {view.plan && view.plan.actions.length > 0 && (
                <section aria-label={`Plan d’action de ${view.reference}`}>
                  <PlanTab view={view} />
                </section>
              )}
              <Contributions items={(dossier.data?.contributions ?? []).filter((c) => c.caseId === view.id)} />
              {session.status === 'planned' && <ContributionForm sessionId={session.id} caseId={view.id} reference={view.reference} />}
            </article>
          ))}
        </section>
      )}
    </div>
  );
}
