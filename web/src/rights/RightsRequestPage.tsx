import { Button, Radio, Select } from '@gouvfr-lasuite/cunningham-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, unwrap } from '../api/client';
import { useCommissions } from '../api/queries';
import { useUser } from '../session/SessionProvider';
import { AccessReportTable } from '../shared/AccessReportTable';
import { ChoiceGroup, TextField } from '../shared/fields';
import { count, dateTime, longDate } from '../shared/format';
import { ROLE_LABEL } from '../shared/labels';
import { fieldErrors, generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import {
  useCloseRightsRequest,
  useNameHandler,
  useRightsAccessReports,
  useRightsLookup,
  useRightsMeasure,
  useRightsRequest,
  type RightsOutcome,
  type RightsRequestDetail,
  type RightsSituation,
} from './queries';
import { daysLeftLabel, KIND_LABEL, lookupProblems, MEASURE_LABEL, MEASURE_OF, OUTCOME_LABEL, professionalLabel, REASON_LABEL, WAITING_LABEL } from './words';
import '../styles/oversight.css';

/**
 * One rights request: its dates and state, the references of the person's situations found by the
 * lookup (the DPO never sees a name), what was done to each and why, and the closing record. The
 * DPO looks the person up, reads the access reports, applies the measure of the request (with a
 * confirmation) and closes it; the coordinator names who hands the copy of the data over.
 */
export default function RightsRequestPage() {
  const { id = '' } = useParams();
  usePageTitle('Demande de droits');
  const user = useUser();
  const request = useRightsRequest(id);
  if (!request.data) return <QueryState isPending={request.isPending} error={request.error} what="la demande" />;
  const r = request.data;
  const isDpo = user.roles.includes('auditor');
  const open = r.status === 'open';
  return (
    <div className="page">
      <p>
        <Link to="/droits">← Toutes les demandes</Link>
      </p>
      <h1>Demande : {KIND_LABEL[r.kind].toLowerCase()}</h1>
      <p className="lead">
        Reçue le {longDate(r.receivedOn)} · réponse due le {longDate(r.dueOn)}
        {open && r.daysLeft !== null && (
          <>
            {' '}
            <span className={r.daysLeft < 0 ? 'late' : undefined}>({daysLeftLabel(r.daysLeft)})</span>
          </>
        )}
        .
      </p>
      {!open && (
        <p role="status">
          Close le {dateTime(r.closedAt)} : {r.outcome ? OUTCOME_LABEL[r.outcome] : ''}.
        </p>
      )}
      {open && <Progress request={r} />}
      <Situations request={r} />
      {isDpo && open && <LookupForm id={r.id} />}
      {isDpo && r.kind === 'access' && r.situations.length > 0 && <AccessReports id={r.id} />}
      {isDpo && open && <Measure request={r} />}
      {!isDpo && open && r.kind === 'access' && <HandlerForm request={r} />}
      {isDpo && open && <CloseForm id={r.id} />}
    </div>
  );
}

/**
 * Where the open request stands, from the server's facts: the due date and the days left, the
 * lookup, who hands the copy over (access), how many situations are done, and what is still
 * waited for before closing it.
 */
function Progress({ request }: { request: RightsRequestDetail }) {
  const n = request.situations.length;
  const access = request.kind === 'access';
  const done = request.situations.filter((s) => (access ? (s.copies?.count ?? 0) > 0 || s.state === 'purged' : s.measure !== null)).length;
  return (
    <section className="section" aria-labelledby="titre-avancement">
      <h2 id="titre-avancement">Où en est la demande</h2>
      <ul className="plain-list">
        <li>
          {request.lookups
            ? `${count(request.lookups, 'recherche faite', 'recherches faites')} ; ${count(n, 'situation trouvée', 'situations trouvées')}.`
            : 'Aucune recherche faite pour l’instant.'}
        </li>
        {access && (
          <li>
            {request.handler
              ? `Remise de la copie confiée par la coordination à ${professionalLabel(request.handler)}, ${request.handler.roles
                  .map((role) => ROLE_LABEL[role].toLowerCase())
                  .join(', ')}, le ${longDate(request.handler.namedAt)}.`
              : 'Personne n’est désigné par la coordination : le référent de chaque situation peut remettre la copie.'}
          </li>
        )}
        {n > 0 && (
          <li>
            {access
              ? `Copie téléchargée pour ${done} situation${done > 1 ? 's' : ''} sur ${n}.`
              : `Situations traitées : ${done} sur ${n} (ce qui a été fait, et pourquoi, est noté ci-dessous).`}
          </li>
        )}
      </ul>
      {request.waitingFor.length ? (
        <>
          <p>Avant de clore la demande, il reste à :</p>
          <ul>
            {request.waitingFor.map((w) => (
              <li key={w}>{WAITING_LABEL[w]}</li>
            ))}
          </ul>
        </>
      ) : (
        <p role="status">Tout ce que la demande appelait est fait : elle peut être close.</p>
      )}
    </section>
  );
}

function Situations({ request }: { request: RightsRequestDetail }) {
  const access = request.kind === 'access';
  return (
    <section className="section" aria-labelledby="titre-situations">
      <h2 id="titre-situations">Situations de la personne</h2>
      {!request.situations.length ? (
        <p>Aucune situation trouvée pour l’instant.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Situations de la personne</caption>
            <thead>
              <tr>
                <th scope="col">Référence</th>
                <th scope="col">{access ? 'Copie des données' : 'Ce qui a été fait'}</th>
              </tr>
            </thead>
            <tbody>
              {request.situations.map((s) => (
                <tr key={s.caseId}>
                  <th scope="row" className="nowrap">
                    {s.reference}
                  </th>
                  <td>{access ? copyLine(s) : measureLine(s)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function measureLine(s: RightsSituation): string {
  if (!s.measure) return 'Rien pour l’instant';
  return `${MEASURE_LABEL[s.measure]}${s.reason ? ` : ${REASON_LABEL[s.reason]}` : ''}${s.measuredAt ? ` (le ${dateTime(s.measuredAt)})` : ''}`;
}

function copyLine(s: RightsSituation): string {
  const last = s.copies?.downloads[0];
  if (!s.copies?.count || !last) return s.state === 'purged' ? 'Situation effacée : plus rien à copier' : 'Pas encore téléchargée';
  const times = s.copies.count > 1 ? ` (${s.copies.count} téléchargements)` : '';
  return `Téléchargée le ${dateTime(last.at)} par ${professionalLabel(last.by)}${times}`;
}

function LookupForm({ id }: { id: string }) {
  const lookup = useRightsLookup(id);
  const [identity, setIdentity] = useState({ lastName: '', firstName: '', birthDate: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [found, setFound] = useState<string>();
  const set = (field: keyof typeof identity, value: string) => setIdentity((current) => ({ ...current, [field]: value }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFound(undefined);
    const problems = lookupProblems(identity);
    setErrors(problems);
    if (Object.keys(problems).length) return;
    try {
      const answer = await lookup.mutateAsync({
        lastName: identity.lastName.trim(),
        firstName: identity.firstName.trim(),
        birthDate: identity.birthDate.trim(),
      });
      // The identity leaves the page as soon as it was used: it is kept nowhere.
      setIdentity({ lastName: '', firstName: '', birthDate: '' });
      const n = answer.situations.length;
      setFound(
        n
          ? `${n} situation${n > 1 ? 's' : ''} trouvée${n > 1 ? 's' : ''} : ${answer.situations.map((s) => s.reference).join(', ')}.`
          : 'Aucune situation trouvée.',
      );
    } catch (e) {
      const byField = fieldErrors(e);
      setErrors(
        Object.keys(byField).length
          ? byField
          : { form: e instanceof ApiError && e.status === 409 ? 'La demande est close : la recherche n’est plus possible.' : generalError(e) },
      );
    }
  };

  return (
    <section className="form-section section" aria-labelledby="titre-recherche">
      <h2 id="titre-recherche">Retrouver les situations de la personne</h2>
      <p className="muted">
        Écrivez l’identité que la personne a donnée. Le serveur la compare lui-même et ne répond que par des références ; elle n’est conservée nulle part.
        Chaque recherche est tracée et visible du coordinateur.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate autoComplete="off">
        <TextField label="Nom" value={identity.lastName} onChange={(e) => set('lastName', e.target.value)} error={errors.lastName} />
        <TextField label="Prénom(s)" value={identity.firstName} onChange={(e) => set('firstName', e.target.value)} error={errors.firstName} />
        <TextField
          label="Date de naissance"
          hint="AAAA-MM-JJ, ou l’année seule (AAAA)."
          value={identity.birthDate}
          onChange={(e) => set('birthDate', e.target.value)}
          error={errors.birthDate}
        />
        {errors.form && (
          <p role="alert" className="field-error">
            {errors.form}
          </p>
        )}
        <Button type="submit" disabled={lookup.isPending}>
          Rechercher
        </Button>
      </form>
      {found && <p role="status">{found}</p>}
    </section>
  );
}

function AccessReports({ id }: { id: string }) {
  const [shown, setShown] = useState(false);
  const reports = useRightsAccessReports(id, shown);
  const { data: request } = useRightsRequest(id);
  const referenceOf = (caseId: string) => request?.situations.find((s) => s.caseId === caseId)?.reference ?? '';
  return (
    <section className="section" aria-labelledby="titre-rapports">
      <h2 id="titre-rapports">Qui a consulté ses données</h2>
      {!shown ? (
        <Button color="brand" variant="secondary" onClick={() => setShown(true)}>
          Afficher les rapports d’accès
        </Button>
      ) : !reports.data ? (
        <QueryState isPending={reports.isPending} error={reports.error} what="les rapports d’accès" />
      ) : (
        reports.data.reports.map((report) => (
          <div key={report.caseId} className="report">
            <h3>Situation {referenceOf(report.caseId)}</h3>
            <AccessReportTable reference={referenceOf(report.caseId)} organisations={report.organisations} />
          </div>
        ))
      )}
    </section>
  );
}

function Measure({ request }: { request: RightsRequestDetail }) {
  const measure = useRightsMeasure(request.id);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string>();
  const what = MEASURE_OF[request.kind];
  // Once every situation found has its measure (or the reason it was kept), there is nothing left to apply.
  if (!what || !request.situations.some((s) => s.measure === null)) return null;
  const apply = async () => {
    try {
      await measure.mutateAsync(what.measure);
      setAsking(false);
      setError(undefined);
    } catch (e) {
      setError(generalError(e));
    }
  };
  return (
    <section className="section" aria-labelledby="titre-mesure">
      <h2 id="titre-mesure">{what.button}</h2>
      {!asking ? (
        <Button color="brand" variant="secondary" onClick={() => setAsking(true)}>
          {what.button}…
        </Button>
      ) : (
        <div role="group" aria-labelledby="titre-mesure">
          <p>{what.confirm}</p>
          <Button color="error" onClick={() => void apply()} disabled={measure.isPending}>
            Confirmer
          </Button>{' '}
          <Button color="brand" variant="secondary" onClick={() => setAsking(false)}>
            Annuler
          </Button>
        </div>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}

function CloseForm({ id }: { id: string }) {
  const close = useCloseRightsRequest(id);
  const [outcome, setOutcome] = useState<RightsOutcome>();
  const [error, setError] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!outcome) return setError('Choisissez ce qui a été fait.');
    try {
      await close.mutateAsync(outcome);
    } catch (e) {
      setError(generalError(e));
    }
  };
  return (
    <section className="form-section section" aria-labelledby="titre-cloture">
      <h2 id="titre-cloture">Clore la demande</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ChoiceGroup legend="Ce qui a été fait" error={error}>
          {(Object.keys(OUTCOME_LABEL) as RightsOutcome[]).map((o) => (
            <Radio key={o} name="outcome" label={OUTCOME_LABEL[o]} value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
          ))}
        </ChoiceGroup>
        <Button type="submit" disabled={close.isPending}>
          Clore la demande
        </Button>
      </form>
    </section>
  );
}

/** The coordinator names the professional who hands the person the copy of her data: a member of the territory's commission. */
function HandlerForm({ request }: { request: RightsRequestDetail }) {
  const commissions = useCommissions();
  const commissionId = commissions.data?.find((c) => c.territoryId === request.territoryId)?.id;
  const members = useQuery({
    queryKey: ['commissions', commissionId ?? '', 'members'],
    enabled: Boolean(commissionId),
    queryFn: async () => unwrap(await api.GET('/commissions/{id}/members', { params: { path: { id: commissionId! } } })),
  });
  const name = useNameHandler(request.id);
  const [userId, setUserId] = useState(request.handlerUserId ?? '');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const current = request.handler;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!userId) return setError('Choisissez un professionnel.');
    try {
      await name.mutateAsync(userId);
      setError(undefined);
      setDone('Le professionnel est désigné et prévenu : il télécharge la copie dans « Copies à remettre » et la remet à la personne.');
    } catch (e) {
      setError(fieldErrors(e).userId ?? generalError(e));
    }
  };
  return (
    <section className="form-section section" aria-labelledby="titre-remise">
      <h2 id="titre-remise">Qui remet la copie des données à la personne</h2>
      <p className="muted">
        {current
          ? `Désigné : ${professionalLabel(current)}, le ${longDate(current.namedAt)}.`
          : 'Personne n’est désigné ; le référent de chaque situation peut aussi la remettre.'}
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Select
          label="Professionnel"
          variant="classic"
          fullWidth
          options={(members.data ?? []).map((m) => ({ label: `${m.displayName}${m.organisationName ? ` (${m.organisationName})` : ''}`, value: m.userId }))}
          value={userId || undefined}
          onChange={(e) => setUserId(String(e.target.value ?? ''))}
          state={error ? 'error' : 'default'}
          text={error}
        />
        <Button type="submit" disabled={name.isPending}>
          Désigner
        </Button>
      </form>
      {done && <p role="status">{done}</p>}
    </section>
  );
}
