import { Button, Radio, Select } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTerritories } from '../api/queries';
import { useUser } from '../session/SessionProvider';
import { ChoiceGroup, TextField } from '../shared/fields';
import { longDate, parisDay } from '../shared/format';
import { fieldErrors, generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import { useOpenRightsRequest, useRightsRequests, type RightsKind } from './queries';
import { dueLabel, KIND_LABEL, OUTCOME_LABEL } from './words';
import '../styles/oversight.css';

/**
 * The person's rights requests (RGPD, articles 15 to 21): the DPO opens each one received, with the
 * day it was received; the answer is due one month later. The coordinator sees them too (to name
 * who hands the copy of the data over). No name is ever written here.
 */
export default function RightsRequestsPage() {
  usePageTitle('Demandes de droits');
  const user = useUser();
  const isDpo = user.roles.includes('auditor');
  const requests = useRightsRequests();
  const today = parisDay(new Date());
  return (
    <div className="page">
      <h1>Demandes de droits des personnes</h1>
      <p className="lead">
        Une personne peut demander l’accès à ses données, leur rectification, leur effacement, ou s’opposer à leur partage. La réponse est due dans un mois.
      </p>
      <QueryState isPending={requests.isPending} error={requests.error} what="les demandes" />
      {requests.data && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Demandes de droits</caption>
            <thead>
              <tr>
                <th scope="col">Demande</th>
                <th scope="col">Reçue le</th>
                <th scope="col">Échéance</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {requests.data.items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/droits/${r.id}`}>{KIND_LABEL[r.kind]}</Link>
                  </th>
                  <td>{longDate(r.receivedOn)}</td>
                  <td>
                    {longDate(r.dueOn)}
                    {r.status === 'open' && <span className="muted"> ({dueLabel(r.dueOn, today)})</span>}
                  </td>
                  <td>{r.status === 'open' ? 'En cours' : `Close : ${r.outcome ? OUTCOME_LABEL[r.outcome] : ''}`}</td>
                </tr>
              ))}
              {!requests.data.items.length && (
                <tr>
                  <td colSpan={4}>Aucune demande.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {isDpo && <OpenForm territoryId={user.territoryId} />}
    </div>
  );
}

function OpenForm({ territoryId }: { territoryId: string | null }) {
  const territories = useTerritories(territoryId === null);
  const open = useOpenRightsRequest();
  const navigate = useNavigate();
  const [kind, setKind] = useState<RightsKind>();
  const [territory, setTerritory] = useState(territoryId ?? '');
  const [receivedOn, setReceivedOn] = useState(parisDay(new Date()));
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!kind) missing.kind = 'Choisissez ce que la personne demande.';
    if (!territory) missing.territoryId = 'Choisissez le territoire.';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(receivedOn)) missing.receivedOn = 'Écrivez la date de réception (AAAA-MM-JJ).';
    setErrors(missing);
    if (Object.keys(missing).length) return;
    try {
      const created = await open.mutateAsync({ territoryId: territory, kind: kind!, receivedOn });
      void navigate(`/droits/${created.id}`);
    } catch (e) {
      const byField = fieldErrors(e);
      setErrors(Object.keys(byField).length ? byField : { form: generalError(e) });
    }
  };

  return (
    <section className="form-section section" aria-labelledby="titre-nouvelle-demande">
      <h2 id="titre-nouvelle-demande">Enregistrer une demande reçue</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ChoiceGroup legend="La personne demande" error={errors.kind}>
          {(Object.keys(KIND_LABEL) as RightsKind[]).map((k) => (
            <Radio key={k} name="kind" label={KIND_LABEL[k]} value={k} checked={kind === k} onChange={() => setKind(k)} />
          ))}
        </ChoiceGroup>
        {territoryId === null && (
          <Select
            label="Territoire"
            variant="classic"
            fullWidth
            options={(territories.data ?? []).map((t) => ({ label: t.name, value: t.id }))}
            value={territory || undefined}
            onChange={(e) => setTerritory(String(e.target.value ?? ''))}
            state={errors.territoryId ? 'error' : 'default'}
            text={errors.territoryId}
          />
        )}
        <TextField
          label="Reçue le"
          hint="AAAA-MM-JJ : la réponse est due un mois plus tard."
          value={receivedOn}
          onChange={(e) => setReceivedOn(e.target.value)}
          error={errors.receivedOn}
        />
        {errors.form && (
          <p role="alert" className="field-error">
            {errors.form}
          </p>
        )}
        <Button type="submit" disabled={open.isPending}>
          Enregistrer la demande
        </Button>
      </form>
    </section>
  );
}
