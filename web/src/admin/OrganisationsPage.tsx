import { Button, Radio, Select, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, type Schemas } from '../api/client';
import { useCreateOrganisation, useOrganisations, useTerritories } from '../api/queries';
import { ChoiceGroup, TextField } from '../shared/fields';
import { SECTOR_HELP, SECTOR_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import '../styles/oversight.css';

type Sector = Schemas['Sector'];
const SECTORS = Object.keys(SECTOR_LABEL) as Sector[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The organisations of each territory, and a new one: its sector decides what it may receive
 * (with the person's consent) and which secret binds it, so each sector is explained in one sentence.
 */
export default function OrganisationsPage() {
  usePageTitle('Organisations');
  const territories = useTerritories();
  const organisations = useOrganisations();
  const [params, setParams] = useSearchParams();
  const territoryId = UUID.test(params.get('territoire') ?? '') ? params.get('territoire')! : (territories.data?.[0]?.id ?? '');
  const territory = territories.data?.find((t) => t.id === territoryId);
  const shown = (organisations.data ?? []).filter((o) => o.territoryId === territoryId);

  return (
    <div className="page">
      <h1>Organisations</h1>
      <p className="lead">
        Chaque compte appartient à une organisation (un CCAS, un CMP, un bailleur…). Son secteur décide de ce qu’elle peut recevoir avec le consentement de la
        personne, et du secret qui la lie.
      </p>
      <QueryState isPending={territories.isPending || organisations.isPending} error={territories.error ?? organisations.error} what="les organisations" />
      {territories.data && territories.data.length === 0 && <Notice type={VariantType.INFO}>Créez d’abord un territoire.</Notice>}
      {territories.data && territories.data.length > 0 && organisations.data && (
        <>
          <div className="inline-form">
            <div className="select-wide">
              <Select
                label="Territoire"
                variant="classic"
                clearable={false}
                fullWidth
                options={territories.data.map((t) => ({ label: t.name, value: t.id }))}
                value={territoryId}
                onChange={(e) => e.target.value && setParams({ territoire: String(e.target.value) }, { replace: true })}
              />
            </div>
          </div>
          {shown.length ? (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Organisations du territoire {territory?.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Nom</th>
                    <th scope="col">Secteur</th>
                    <th scope="col">Ce que cela implique</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((o) => (
                    <tr key={o.id}>
                      <th scope="row">{o.name}</th>
                      <td>{SECTOR_LABEL[o.sector]}</td>
                      <td className="muted">{SECTOR_HELP[o.sector]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="empty">Aucune organisation dans ce territoire pour l’instant.</p>
          )}
          {territory && <NewOrganisation key={territory.id} territory={territory} />}
        </>
      )}
    </div>
  );
}

function NewOrganisation({ territory }: { territory: Schemas['TerritoryDto'] }) {
  const create = useCreateOrganisation();
  const id = useId();
  const [name, setName] = useState('');
  const [sector, setSector] = useState<Sector | ''>('');
  const [errors, setErrors] = useState<{ name?: string; sector?: string; general?: string }>({});
  const [done, setDone] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(undefined);
    const problems = {
      ...(name.trim().length < 2 ? { name: 'Écrivez le nom de l’organisation (au moins 2 caractères).' } : {}),
      ...(!sector ? { sector: 'Choisissez le secteur de l’organisation.' } : {}),
    };
    setErrors(problems);
    if (Object.keys(problems).length) return;
    try {
      const created = await create.mutateAsync({ name: name.trim(), sector: sector as Sector, territoryId: territory.id });
      setName('');
      setSector('');
      setDone(`L’organisation « ${created.name} » est créée dans le territoire ${territory.name}. Vous pouvez maintenant lui créer des comptes.`);
    } catch (e) {
      setErrors(e instanceof ApiError && e.status === 409 ? { name: 'Une organisation de ce territoire porte déjà ce nom.' } : { general: generalError(e) });
    }
  };
  return (
    <section className="form-section section" aria-labelledby="titre-nouvelle-organisation">
      <h2 id="titre-nouvelle-organisation">Nouvelle organisation dans {territory.name}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <TextField
          label="Nom de l’organisation"
          hint="Par exemple « CMP Les Peupliers »."
          autoComplete="off"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
        />
        <ChoiceGroup legend="Secteur" error={errors.sector}>
          {SECTORS.map((s) => (
            <div key={s}>
              <Radio name={`${id}-sector`} label={SECTOR_LABEL[s]} checked={sector === s} aria-describedby={`${id}-${s}`} onChange={() => setSector(s)} />
              <p id={`${id}-${s}`} className="choice-help">
                {SECTOR_HELP[s]}
              </p>
            </div>
          ))}
        </ChoiceGroup>
        {errors.general && (
          <div role="alert">
            <Notice type={VariantType.ERROR}>{errors.general}</Notice>
          </div>
        )}
        {done && (
          <div role="status">
            <Notice type={VariantType.SUCCESS}>{done}</Notice>
          </div>
        )}
        <div className="form-actions">
          <Button type="submit" disabled={create.isPending}>
            Créer l’organisation
          </Button>
        </div>
      </form>
    </section>
  );
}
