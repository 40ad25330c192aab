import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAllSessions, useCases, useCreateSession } from '../api/queries';
import { bySessionBucket, SESSION_BUCKETS, type MySession, type SessionBucket } from '../member/sessions';
import { SelectField, TextField } from '../shared/fields';
import { count, sessionWhen } from '../shared/format';
import { SESSION_STATUS_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { fieldErrors, generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { Tabs } from '../shared/Tabs';
import { usePageTitle } from '../shared/usePageTitle';
import { EMPTY_SESSION, sessionBody, sessionProblems, type SessionForm } from './sessionForm';

/** The commission's sessions (upcoming, in progress, past) and a new one; the agenda is built on each session's page. */
export default function SessionsPage() {
  usePageTitle('Séances');
  const data = useAllSessions();
  const cases = useCases();
  const [params, setParams] = useSearchParams();
  const all: MySession[] = useMemo(
    () => (data.data ?? []).flatMap(({ commission, sessions }) => sessions.map((session) => ({ session, commission }))),
    [data.data],
  );
  const groups = useMemo(() => bySessionBucket(all), [all]);
  const ready = (cases.data ?? []).filter((c) => c.state === 'ready_for_review').length;
  const several = (data.data?.length ?? 0) > 1;
  const tab = params.get('onglet');
  const selected: SessionBucket = SESSION_BUCKETS.some((b) => b.key === tab)
    ? (tab as SessionBucket)
    : (SESSION_BUCKETS.find((b) => groups[b.key].length)?.key ?? 'a-venir');
  const current = SESSION_BUCKETS.find((b) => b.key === selected)!;

  return (
    <div className="page">
      <h1>Séances</h1>
      <p className="lead">
        {ready
          ? `${count(ready, 'situation est prête', 'situations sont prêtes')} pour un examen : ouvrez une séance prévue pour l’inscrire à son ordre du jour.`
          : 'Aucune situation n’attend d’être inscrite à une séance.'}
      </p>
      <QueryState isPending={data.isPending} error={data.error} what="les séances" />
      {data.data && (
        <div className="stack stack--large">
          <NewSession commissions={data.data.map((g) => g.commission)} />
          <Tabs
            label="Séances par période"
            items={SESSION_BUCKETS.map((b) => ({ key: b.key, label: b.label, count: groups[b.key].length }))}
            selected={selected}
            onSelect={(key) => setParams({ onglet: key }, { replace: true })}
          >
            {groups[selected].length ? (
              <div className="table-wrap">
                <table className="table">
                  <caption className="visually-hidden">Séances : {current.label.toLowerCase()}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Séance</th>
                      {several && <th scope="col">Cellule</th>}
                      <th scope="col">État</th>
                      <th scope="col">Ordre du jour</th>
                    </tr>
                  </thead>
                  <tbody>
                    {groups[selected].map(({ session, commission }) => (
                      <tr key={session.id}>
                        <th scope="row">
                          <Link to={`/coordination/seances/${session.id}`}>{sessionWhen(session.startsAt, session.endsAt)}</Link>
                        </th>
                        {several && <td>{commission.name}</td>}
                        <td>{SESSION_STATUS_LABEL[session.status]}</td>
                        <td>{count(session.agendaCount, 'situation')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="empty">{current.empty}</p>
            )}
          </Tabs>
        </div>
      )}
    </div>
  );
}

function NewSession({ commissions }: { commissions: { id: string; name: string }[] }) {
  const navigate = useNavigate();
  const [commissionId, setCommissionId] = useState(commissions.length === 1 ? commissions[0].id : '');
  const create = useCreateSession(commissionId);
  const [form, setForm] = useState<SessionForm>(EMPTY_SESSION);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>();
  const edit = (key: keyof SessionForm, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: '' }));
  };
  if (!commissions.length) return <Notice type={VariantType.INFO}>Aucune cellule n’est encore créée dans votre territoire.</Notice>;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = { ...sessionProblems(form), ...(commissionId ? {} : { commissionId: 'Choisissez la cellule.' }) };
    setErrors(problems);
    setFailure(undefined);
    if (Object.keys(problems).length) return;
    try {
      const created = await create.mutateAsync(sessionBody(form));
      void navigate(`/coordination/seances/${created.id}`, { state: { created: true } });
    } catch (error) {
      const byField = fieldErrors(error);
      setErrors({ ...(byField.startsAt ? { start: byField.startsAt } : {}), ...(byField.endsAt ? { end: byField.endsAt } : {}) });
      setFailure(generalError(error));
    }
  };

  return (
    <form className="form-section" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="titre-nouvelle-seance">
      <h2 id="titre-nouvelle-seance">Prévoir une séance</h2>
      {commissions.length > 1 && (
        <SelectField
          label="Cellule"
          options={commissions.map((c) => ({ value: c.id, label: c.name }))}
          value={commissionId}
          onChange={setCommissionId}
          error={errors.commissionId}
        />
      )}
      <div className="grid-3">
        <TextField
          label="Date"
          hint="JJ/MM/AAAA"
          inputMode="numeric"
          value={form.day}
          onChange={(e) => edit('day', e.target.value)}
          error={errors.day || undefined}
        />
        <TextField label="Début" hint="HH:MM" value={form.start} onChange={(e) => edit('start', e.target.value)} error={errors.start || undefined} />
        <TextField label="Fin" hint="HH:MM" value={form.end} onChange={(e) => edit('end', e.target.value)} error={errors.end || undefined} />
      </div>
      {failure && (
        <div role="alert">
          <Notice type={VariantType.ERROR}>{failure}</Notice>
        </div>
      )}
      <div className="form-actions">
        <Button type="submit" disabled={create.isPending}>
          Créer la séance
        </Button>
      </div>
    </form>
  );
}
