import { Button, Modal, ModalSize, Radio, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { CaseEventType, CaseView } from '../api/client';
import { useHandoverCandidates, useOrganisations, useSendEvent, useSessions, type EventFields, type EventRequest } from '../api/queries';
import { useUser } from '../session/SessionProvider';
import { ChoiceGroup, SelectField, TextAreaField, TextField } from '../shared/fields';
import { count, sessionWhen, shortDate } from '../shared/format';
import {
  CONSENT_METHOD_LABEL,
  EVENT_WORDING,
  OUTCOME_LABEL,
  OUTCOMES,
  PLAN_AGREEMENT_LABEL,
  PROTECTION_LABEL,
  SECTOR_LABEL,
  SESSION_STATUS_LABEL,
  type Outcome,
} from '../shared/labels';
import { FIELD_LABEL, referralChangeForm, referralChanges, type ReferralChangeForm } from './referralChanges';
import { fieldErrors, generalError, proposalsOf } from '../shared/problems';
import {
  consentBody,
  consentProblems,
  NOTHING_PROPOSABLE,
  type ConsentForm,
  type Proposable,
  type RepresentativeMeasure,
  type ScopeChoice,
} from './consentForm';
import { ScopeTable } from './ScopeTable';
import { Notice } from '../shared/Notice';
import { emptyPlan, newActionRow, planBody, planErrors, planProblems, TITLE_MAX, type PlanForm } from './planForm';
import {
  emptyReport,
  holdBody,
  holdProblems,
  reportBody,
  reportProblems,
  revisionBody,
  revisionErrors,
  revisionOf,
  revisionProblems,
  type HoldForm,
  type ReportForm,
  type RevisionForm,
} from './afterPlanForms';
import { HoldFields, ReportFields, RevisionFields } from './AfterPlanFields';

/**
 * The situation's actions: exactly the `allowedEvents` the server answered (the machine's events
 * intersected with the policy's, for this account), each with the form its event needs.
 */
const DANGER: CaseEventType[] = ['REJECT', 'CLOSE', 'WITHDRAW_CONSENT', 'DELETE_DRAFT'];

/**
 * The order the buttons are shown in: what moves the situation forward first, then what sends
 * it back, then what ends it. Only a forward step is the primary button (taking a situation off
 * an agenda is never the obvious thing to do).
 */
const DISPLAY_ORDER: CaseEventType[] = [
  'SUBMIT',
  'ACCEPT',
  'RECORD_CONSENT',
  'START_REVIEW',
  'ADOPT_PLAN',
  'SCHEDULE',
  'CONTINUE',
  'FOLLOW_UP_DUE',
  'RESUME',
  'REVISE_PLAN',
  'REVIEW_AGAIN',
  'SUSPEND',
  'RECORD_EXTERNAL_REPORT',
  'RECORD_PLAN_AGREEMENT',
  'EDIT_DRAFT',
  'RECTIFY',
  'REVIEW_WITHOUT_CONSENT',
  'SEND_BACK',
  'HAND_OVER',
  'DEFER',
  'UNSCHEDULE',
  'REOPEN',
  'REJECT',
  'CLOSE',
  'WITHDRAW_CONSENT',
  'DELETE_DRAFT',
];
const FORWARD: CaseEventType[] = ['SUBMIT', 'ACCEPT', 'RECORD_CONSENT', 'START_REVIEW', 'ADOPT_PLAN', 'SCHEDULE', 'CONTINUE', 'FOLLOW_UP_DUE', 'RESUME'];

/** The allowed events in display order (every one of them, and no other). */
export function orderedEvents(allowed: readonly CaseEventType[]): CaseEventType[] {
  const rank = (type: CaseEventType) => (DISPLAY_ORDER.includes(type) ? DISPLAY_ORDER.indexOf(type) : DISPLAY_ORDER.length);
  return [...allowed].sort((a, b) => rank(a) - rank(b));
}

export function EventActions({
  view,
  onDone,
  sessionId,
  label = 'Actions possibles',
  consentProposal,
}: {
  view: CaseView;
  onDone: (message: string) => void;
  /** The session a SCHEDULE goes to by default (the agenda being built). */
  sessionId?: string;
  /** The scope printed on the information letter given to the person: RECORD_CONSENT starts from it. */
  consentProposal?: ScopeChoice;
  label?: string;
}) {
  const [open, setOpen] = useState<CaseEventType | undefined>();
  if (!view.allowedEvents.length) return <p className="muted">Aucune action ne vous revient à cette étape.</p>;
  const events = orderedEvents(view.allowedEvents);
  const primary = events.find((type) => FORWARD.includes(type));
  return (
    <>
      <ul className="actions" aria-label={label}>
        {events.map((type) => (
          <li key={type}>
            <Button color={DANGER.includes(type) ? 'error' : 'brand'} variant={type === primary ? 'primary' : 'secondary'} onClick={() => setOpen(type)}>
              {EVENT_WORDING[type].label}
            </Button>
          </li>
        ))}
      </ul>
      {open && (
        <EventDialog
          key={open}
          view={view}
          type={open}
          sessionId={sessionId}
          consentProposal={consentProposal}
          onClose={() => setOpen(undefined)}
          onDone={(message) => {
            setOpen(undefined);
            onDone(message);
          }}
        />
      )}
    </>
  );
}

const TEXT_FIELDS: Partial<Record<CaseEventType, [key: string, label: string, hint: string][]>> = {
  REJECT: [
    ['reason', 'Raison', 'Pourquoi la cellule ne retient pas la saisine, sans nom ni détail identifiant.'],
    ['suggestedOrientation', 'Orientation proposée (facultatif)', 'Vers quel dispositif orienter la situation.'],
  ],
  SEND_BACK: [['reason', 'Ce qu’il faut compléter', 'Ce qui manque à la saisine, sans nom ni détail identifiant. Elle revient en brouillon au référent.']],
  REVIEW_WITHOUT_CONSENT: [
    ['justification', 'Justification', 'Pourquoi examiner la situation sans le consentement de la personne (refus, personne injoignable…).'],
  ],
};

const LARGE: CaseEventType[] = ['RECORD_CONSENT', 'ADOPT_PLAN', 'REVISE_PLAN', 'RECORD_EXTERNAL_REPORT', 'EDIT_DRAFT', 'RECTIFY'];

function EventDialog({
  view,
  type,
  sessionId,
  consentProposal,
  onClose,
  onDone,
}: {
  view: CaseView;
  type: CaseEventType;
  sessionId?: string;
  consentProposal?: ScopeChoice;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const send = useSendEvent(view.id);
  const proposable = view.proposable ?? NOTHING_PROPOSABLE;
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [proposals, setProposals] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const [text, setText] = useState<Record<string, string>>({});
  const [consent, setConsent] = useState<ConsentForm>({
    decision: '',
    informedAt: shortDate(new Date().toISOString()),
    method: '',
    scope: { ...consentProposal },
  });
  const [plan, setPlan] = useState<PlanForm>(() => emptyPlan());
  const [session, setSession] = useState(sessionId ?? '');
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [hold, setHold] = useState<HoldForm>({ mode: '', reason: '' });
  const [report, setReport] = useState<ReportForm>(() => emptyReport());
  const [revision, setRevision] = useState<RevisionForm>(() => revisionOf(view.plan?.actions ?? []));
  const [agreement, setAgreement] = useState<keyof typeof PLAN_AGREEMENT_LABEL | ''>('');
  const [changes, setChanges] = useState<ReferralChangeForm>(() => referralChangeForm(view));
  const wording = EVENT_WORDING[type];
  const textFields = TEXT_FIELDS[type] ?? [];
  // A message goes once its field is edited again: it would otherwise contradict what is typed.
  const cleared = (...fields: string[]) => setErrors((e) => Object.fromEntries(Object.entries(e).filter(([key]) => !fields.includes(key))));
  const editText = (key: string, value: string) => {
    setText((t) => ({ ...t, [key]: value }));
    cleared(key);
  };
  const editPlan: typeof setPlan = (change) => {
    setPlan(change);
    setErrors({});
  };

  const problemsAndBody = (): [Record<string, string>, Record<string, unknown>] => {
    switch (type) {
      case 'RECORD_CONSENT': {
        const problems = consentProblems(consent, proposable);
        return [problems, Object.keys(problems).length ? {} : consentBody(consent, proposable)];
      }
      case 'ADOPT_PLAN': {
        const problems = planProblems(plan);
        return [problems, Object.keys(problems).length ? {} : planBody(plan)];
      }
      case 'SCHEDULE':
      case 'REVIEW_AGAIN':
        return session ? [{}, { sessionId: session }] : [{ sessionId: 'Choisissez la séance.' }, {}];
      case 'SUSPEND': {
        const problems = holdProblems(hold);
        return [problems, Object.keys(problems).length ? {} : holdBody(hold)];
      }
      case 'RECORD_EXTERNAL_REPORT': {
        const problems = reportProblems(report);
        return [problems, Object.keys(problems).length ? {} : reportBody(report)];
      }
      case 'REVISE_PLAN': {
        const problems = revisionProblems(revision);
        return [problems, Object.keys(problems).length ? {} : revisionBody(revision)];
      }
      case 'HAND_OVER':
        return text.toUserId ? [{}, { toUserId: text.toUserId }] : [{ toUserId: 'Choisissez le collègue qui reprend la situation.' }, {}];
      case 'RECORD_PLAN_AGREEMENT':
        return agreement ? [{}, { agreement }] : [{ agreement: 'Choisissez la réponse de la personne.' }, {}];
      case 'EDIT_DRAFT':
      case 'RECTIFY':
        return referralChanges(view, changes);
      case 'CLOSE': {
        if (!outcome) return [{ outcomeCategory: 'Choisissez le résultat.' }, {}];
        if (outcome !== 'other') return [{}, { outcome }];
        const detail = text.outcome?.trim();
        return detail ? [{}, { outcome: detail }] : [{ outcome: 'Décrivez le résultat, sans nom ni détail identifiant.' }, {}];
      }
      default: {
        const problems = Object.fromEntries(
          textFields.filter(([key, label]) => !label.includes('facultatif') && !text[key]?.trim()).map(([key]) => [key, 'Ce champ est obligatoire.']),
        );
        return [problems, Object.fromEntries(textFields.filter(([key]) => text[key]?.trim()).map(([key]) => [key, text[key].trim()]))];
      }
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const [problems, body] = problemsAndBody();
    setFailure(undefined);
    if (Object.keys(problems).length) return setErrors(problems);
    setErrors({});
    try {
      // The fields were built for this type just above; the union cannot follow a runtime type.
      await send.mutateAsync({ type, expectedVersion: view.version, ...body } as EventRequest);
      onDone(`${wording.label} : c'est enregistré.`);
    } catch (error) {
      const byField =
        type === 'ADOPT_PLAN'
          ? planErrors(fieldErrors(error))
          : type === 'REVISE_PLAN'
            ? revisionErrors(fieldErrors(error), body as EventFields<'REVISE_PLAN'>)
            : fieldErrors(error);
      setErrors(byField);
      setProposals(proposalsOf(error));
      setFailure(generalError(error));
    }
  };

  let content: ReactNode;
  if (type === 'RECORD_CONSENT')
    content = <ConsentFields form={consent} setForm={setConsent} errors={errors} fromLetter={Boolean(consentProposal)} proposable={proposable} />;
  else if (type === 'ADOPT_PLAN') content = <PlanFields view={view} form={plan} setForm={editPlan} errors={errors} />;
  else if (type === 'SUSPEND')
    content = (
      <HoldFields
        form={hold}
        setForm={(f) => {
          setHold(f);
          setErrors({});
        }}
        errors={errors}
      />
    );
  else if (type === 'RECORD_EXTERNAL_REPORT')
    content = (
      <ReportFields
        view={view}
        form={report}
        setForm={(f) => {
          setReport(f);
          setErrors({});
        }}
        errors={errors}
      />
    );
  else if (type === 'REVISE_PLAN')
    content = (
      <RevisionFields
        view={view}
        form={revision}
        setForm={(f) => {
          setRevision(f);
          setErrors({});
        }}
        errors={errors}
      />
    );
  else if (type === 'SCHEDULE' || type === 'REVIEW_AGAIN')
    content = (
      <ScheduleFields
        view={view}
        value={session}
        onChange={(id) => {
          setSession(id);
          cleared('sessionId');
        }}
        error={errors.sessionId}
      />
    );
  else if (type === 'HAND_OVER')
    content = <HandOverFields view={view} value={text.toUserId ?? ''} onChange={(id) => editText('toUserId', id)} error={errors.toUserId} />;
  else if (type === 'RECORD_PLAN_AGREEMENT')
    content = (
      <ChoiceGroup legend="Ce que la personne pense du plan adopté" error={errors.agreement}>
        {(Object.entries(PLAN_AGREEMENT_LABEL) as [keyof typeof PLAN_AGREEMENT_LABEL, string][]).map(([value, label]) => (
          <Radio
            key={value}
            name="agreement"
            label={label}
            checked={agreement === value}
            onChange={() => {
              setAgreement(value);
              cleared('agreement');
            }}
          />
        ))}
      </ChoiceGroup>
    );
  else if (type === 'EDIT_DRAFT' || type === 'RECTIFY')
    content = (
      <ReferralChangeFields
        view={view}
        form={changes}
        setForm={setChanges}
        errors={errors}
        rectify={type === 'RECTIFY'}
        proposals={proposals}
        takeProposal={(key) => {
          setChanges((f) => ({ ...f, [key]: proposals[key] }));
          setProposals(({ [key]: _used, ...rest }) => rest);
          cleared(key);
        }}
      />
    );
  else if (type === 'CLOSE')
    content = (
      <CloseFields
        outcome={outcome}
        setOutcome={(value) => {
          setOutcome(value);
          cleared('outcomeCategory');
        }}
        detail={text.outcome ?? ''}
        setDetail={(value) => editText('outcome', value)}
        errors={errors}
      />
    );
  else
    content = textFields.map(([key, label, hint]) => (
      <TextAreaField key={key} label={label} hint={hint} rows={3} value={text[key] ?? ''} onChange={(e) => editText(key, e.target.value)} error={errors[key]} />
    ));

  return (
    <Modal isOpen onClose={onClose} size={LARGE.includes(type) ? ModalSize.LARGE : ModalSize.MEDIUM} title={`${wording.label} — ${view.reference}`}>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <p>{wording.help}</p>
        {content}
        {failure && (
          <div role="alert">
            <Notice type={VariantType.ERROR}>{failure}</Notice>
          </div>
        )}
        <div className="form-actions">
          <Button type="submit" color={DANGER.includes(type) ? 'error' : 'brand'} disabled={send.isPending}>
            Confirmer
          </Button>
          <Button type="button" color="neutral" variant="secondary" onClick={onClose}>
            Annuler
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * EDIT_DRAFT, RECTIFY: the identity (where this viewer receives it) and the summary's texts,
 * pre-filled; only what is changed is sent.
 */
function ReferralChangeFields({
  view,
  form,
  setForm,
  errors,
  rectify,
  proposals,
  takeProposal,
}: {
  view: CaseView;
  form: ReferralChangeForm;
  setForm: (f: (form: ReferralChangeForm) => ReferralChangeForm) => void;
  errors: Record<string, string>;
  rectify: boolean;
  /** The leak guard's rewording of each refused text, by field path. */
  proposals: Record<string, string>;
  takeProposal: (key: keyof ReferralChangeForm) => void;
}) {
  const keys = (Object.keys(form) as (keyof ReferralChangeForm)[]).filter((key) => !key.startsWith('identity.') || view.identity);
  return (
    <div className="stack">
      {rectify && (
        <p className="muted">
          Chaque valeur corrigée est remplacée ; l’ancienne reste dans l’historique de la situation, chiffrée, lisible seulement par qui peut lire cette
          information.
        </p>
      )}
      {errors.form && (
        <p className="field-error" role="alert">
          {errors.form}
        </p>
      )}
      {keys.map((key) =>
        key.startsWith('summary.') && key !== 'summary.district' ? (
          <TextAreaField
            key={key}
            label={FIELD_LABEL[key]}
            rows={3}
            value={form[key]}
            onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))}
            error={errors[key]}
            proposal={proposals[key] === undefined ? undefined : { text: proposals[key], use: () => takeProposal(key) }}
          />
        ) : (
          <TextField
            key={key}
            label={FIELD_LABEL[key]}
            value={form[key]}
            onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))}
            error={errors[key]}
          />
        ),
      )}
    </div>
  );
}

/** SCHEDULE: a session of the situation's commission that is not over. */
function ScheduleFields({ view, value, onChange, error }: { view: CaseView; value: string; onChange: (id: string) => void; error?: string }) {
  const user = useUser();
  const sessions = useSessions(view.meta?.commissionId);
  const open = (sessions.data ?? []).filter((s) => s.status !== 'closed').sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  if (sessions.isPending) return <p className="muted">Chargement des séances…</p>;
  if (!open.length)
    return (
      <Notice type={VariantType.INFO}>
        Aucune séance n’est prévue.{' '}
        {user.roles.includes('coordinator') ? <Link to="/coordination/seances">Créez d’abord une séance.</Link> : 'La coordination doit d’abord en créer une.'}
      </Notice>
    );
  return (
    <ChoiceGroup legend="Séance" error={error}>
      {open.map((s) => (
        <Radio
          key={s.id}
          name="session"
          label={`${sessionWhen(s.startsAt, s.endsAt)} — ${SESSION_STATUS_LABEL[s.status].toLowerCase()}, ${count(s.agendaCount, 'situation')} à l’ordre du jour`}
          checked={value === s.id}
          onChange={() => onChange(s.id)}
        />
      ))}
    </ChoiceGroup>
  );
}

/** HAND_OVER: the referrers of the referring service who may take the situation over. */
function HandOverFields({ view, value, onChange, error }: { view: CaseView; value: string; onChange: (id: string) => void; error?: string }) {
  const candidates = useHandoverCandidates(view.id);
  if (candidates.isPending) return <p className="muted">Chargement des référents du service…</p>;
  if (candidates.isError) return <Notice type={VariantType.ERROR}>La liste des référents du service n’a pas pu être chargée.</Notice>;
  if (!candidates.data.length)
    return (
      <Notice type={VariantType.INFO}>
        Aucun autre référent actif dans le service qui a fait la saisine. L’administration doit d’abord lui ouvrir un compte.
      </Notice>
    );
  return (
    <ChoiceGroup legend="Le collègue qui reprend la situation" error={error}>
      {candidates.data.map((u) => (
        <Radio key={u.id} name="toUserId" label={u.displayName} checked={value === u.id} onChange={() => onChange(u.id)} />
      ))}
    </ChoiceGroup>
  );
}

/** ADOPT_PLAN: the actions (title, owner organisation, due date) and the follow-up date. */
function PlanFields({
  view,
  form,
  setForm,
  errors,
}: {
  view: CaseView;
  form: PlanForm;
  setForm: (f: (form: PlanForm) => PlanForm) => void;
  errors: Record<string, string>;
}) {
  const organisations = useOrganisations();
  const options = (organisations.data ?? [])
    .filter((o) => o.territoryId === view.meta?.territoryId || !view.meta)
    .map((o) => ({ value: o.id, label: o.name, group: SECTOR_LABEL[o.sector] }));
  const setRow = (key: string, change: Partial<PlanForm['actions'][number]>) =>
    setForm((f) => ({ ...f, actions: f.actions.map((a) => (a.key === key ? { ...a, ...change } : a)) }));
  return (
    <div className="stack">
      <p className="muted">
        Les intitulés sont pseudonymisés : ni nom, ni adresse, ni téléphone (« rencontrer la personne », « Mme X »). L’organisation responsable reçoit les
        coordonnées de la personne seulement si son consentement le prévoit.
      </p>
      {errors.actions && (
        <p className="field-error" role="alert">
          {errors.actions}
        </p>
      )}
      {form.actions.map((action, i) => (
        <fieldset key={action.key} className="plan-row">
          <legend>Action {i + 1}</legend>
          <TextField
            label="Ce qui est à faire"
            maxLength={TITLE_MAX}
            value={action.title}
            onChange={(e) => setRow(action.key, { title: e.target.value })}
            error={errors[`actions.${i}.title`]}
          />
          <div className="grid-2">
            <SelectField
              label="Organisation responsable"
              options={options}
              value={action.ownerOrganisationId}
              onChange={(value) => setRow(action.key, { ownerOrganisationId: value })}
              error={errors[`actions.${i}.ownerOrganisationId`]}
            />
            <TextField
              label="Échéance"
              hint="JJ/MM/AAAA"
              inputMode="numeric"
              value={action.due}
              onChange={(e) => setRow(action.key, { due: e.target.value })}
              error={errors[`actions.${i}.dueAt`]}
            />
          </div>
          {form.actions.length > 1 && (
            <div>
              <Button
                type="button"
                size="small"
                color="neutral"
                variant="tertiary"
                onClick={() => setForm((f) => ({ ...f, actions: f.actions.filter((a) => a.key !== action.key) }))}
              >
                Retirer l’action {i + 1}
              </Button>
            </div>
          )}
        </fieldset>
      ))}
      <div>
        <Button type="button" size="small" variant="secondary" onClick={() => setForm((f) => ({ ...f, actions: [...f.actions, newActionRow()] }))}>
          Ajouter une action
        </Button>
      </div>
      <TextField
        label="Prochain point d’étape"
        hint="JJ/MM/AAAA — par défaut dans 3 mois."
        inputMode="numeric"
        value={form.followUp}
        onChange={(e) => setForm((f) => ({ ...f, followUp: e.target.value }))}
        error={errors.followUpAt}
      />
    </div>
  );
}

/** CLOSE: the outcome, as a category (kept for statistics), or a pseudonymised text. */
function CloseFields({
  outcome,
  setOutcome,
  detail,
  setDetail,
  errors,
}: {
  outcome: Outcome | '';
  setOutcome: (o: Outcome) => void;
  detail: string;
  setDetail: (value: string) => void;
  errors: Record<string, string>;
}) {
  return (
    <div className="stack">
      <ChoiceGroup legend="Résultat" error={errors.outcomeCategory}>
        {OUTCOMES.map((value) => (
          <Radio key={value} name="outcome" label={OUTCOME_LABEL[value]} checked={outcome === value} onChange={() => setOutcome(value)} />
        ))}
      </ChoiceGroup>
      {outcome === 'other' && (
        <TextAreaField
          label="Le résultat, en quelques mots"
          hint="Sans nom ni détail identifiant. Ce texte est chiffré ; les statistiques le comptent comme « autre résultat »."
          rows={3}
          maxLength={300}
          value={detail}
          onChange={(e) => setDetail(e.target.value)}
          error={errors.outcome}
        />
      )}
      {outcome !== 'other' && errors.outcome && (
        <p className="field-error" role="alert">
          {errors.outcome}
        </p>
      )}
    </div>
  );
}

function ConsentFields({
  form,
  setForm,
  errors,
  fromLetter,
  proposable,
}: {
  form: ConsentForm;
  setForm: (f: (form: ConsentForm) => ConsentForm) => void;
  errors: Record<string, string>;
  /** The scope was ticked from the proposal printed on the information letter. */
  fromLetter: boolean;
  /** The boxes to draw: what a consent may cover (served with the situation). */
  proposable: Proposable;
}) {
  return (
    <div className="stack">
      <ChoiceGroup legend="Réponse de la personne" error={errors.decision}>
        <Radio
          name="decision"
          label="Elle accepte le partage décrit ci-dessous"
          checked={form.decision === 'granted'}
          onChange={() => setForm((f) => ({ ...f, decision: 'granted' }))}
        />
        <Radio
          name="decision"
          label="Elle refuse tout partage"
          checked={form.decision === 'refused'}
          onChange={() => setForm((f) => ({ ...f, decision: 'refused' }))}
        />
      </ChoiceGroup>
      <TextField
        label="Date à laquelle elle a été informée"
        hint="Au format JJ/MM/AAAA."
        value={form.informedAt}
        onChange={(e) => setForm((f) => ({ ...f, informedAt: e.target.value }))}
        error={errors.informedAt}
      />
      <ChoiceGroup legend="Comment elle a donné sa réponse" error={errors.method}>
        {(Object.entries(CONSENT_METHOD_LABEL) as [ConsentForm['method'], string][]).map(([value, label]) => (
          <Radio
            key={value}
            name="method"
            label={`Elle a répondu ${label}`}
            checked={form.method === value}
            onChange={() => setForm((f) => ({ ...f, method: value }))}
          />
        ))}
      </ChoiceGroup>
      {form.method === 'representative' && (
        <>
          <ChoiceGroup legend="À quel titre le représentant a répondu" error={errors['representative.measure']}>
            {(Object.entries({ ...PROTECTION_LABEL, autorite_parentale: 'Autorité parentale (personne mineure)' }) as [RepresentativeMeasure, string][]).map(
              ([value, label]) => (
                <Radio
                  key={value}
                  name="representativeMeasure"
                  label={label}
                  checked={form.representativeMeasure === value}
                  onChange={() => setForm((f) => ({ ...f, representativeMeasure: value }))}
                />
              ),
            )}
          </ChoiceGroup>
          <TextField
            label="Service du représentant"
            hint="L'association ou le service mandataire, ou « les parents » pour l'autorité parentale ; pas le nom d'une personne."
            value={form.representativeOrganisation ?? ''}
            onChange={(e) => setForm((f) => ({ ...f, representativeOrganisation: e.target.value }))}
            error={errors['representative.organisation']}
          />
        </>
      )}
      {form.decision === 'granted' && (
        <ChoiceGroup legend="Ce qu'elle accepte de partager, et avec qui" hint="Par défaut le consentement vaut 12 mois." error={errors.scope}>
          {fromLetter && <p className="muted">Cochée comme la proposition de la lettre d’information : décochez ce que la personne refuse.</p>}
          <ScopeTable
            caption="Partages acceptés, par secteur et par catégorie d'information"
            value={form.scope}
            onChange={(scope) => setForm((f) => ({ ...f, scope }))}
            proposable={proposable}
          />
        </ChoiceGroup>
      )}
    </div>
  );
}
