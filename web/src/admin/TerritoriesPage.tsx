import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { useCreateTerritory, useOrganisations, useTerritories } from '../api/queries';
import { TextField } from '../shared/fields';
import { count, shortDate } from '../shared/format';
import { Notice } from '../shared/Notice';
import { generalError } from '../shared/problems';
import { QueryState } from '../shared/QueryState';
import { usePageTitle } from '../shared/usePageTitle';
import '../styles/oversight.css';

/** The territories (one per CLSM): each is a tenant of its own — its organisations, accounts, cellule and situations. */
export default function TerritoriesPage() {
  usePageTitle('Territoires');
  const territories = useTerritories();
  const organisations = useOrganisations();
  const create = useCreateTerritory();
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(undefined);
    if (name.trim().length < 2) return setError('Écrivez le nom du territoire (au moins 2 caractères).');
    try {
      const territory = await create.mutateAsync({ name: name.trim() });
      setError(undefined);
      setName('');
      setDone(`Le territoire « ${territory.name} » est créé. Ajoutez-lui ses organisations, dont celle de la coordination du CLSM.`);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? 'Un territoire porte déjà ce nom.' : generalError(e));
    }
  };

  const orgCount = (id: string) => (organisations.data ?? []).filter((o) => o.territoryId === id).length;
  return (
    <div className="page">
      <h1>Territoires</h1>
      <p className="lead">
        Un territoire correspond à un conseil local de santé mentale (CLSM) : ses organisations, ses comptes, sa cellule et ses situations ne sont visibles que
        de lui.
      </p>
      <QueryState isPending={territories.isPending} error={territories.error} what="les territoires" />
      {territories.data && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Territoires</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Organisations</th>
                <th scope="col">Créé le</th>
              </tr>
            </thead>
            <tbody>
              {territories.data.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>
                    <Link to={`/administration/organisations?territoire=${t.id}`}>
                      {count(orgCount(t.id), 'organisation', 'organisations', 'aucune organisation')}
                    </Link>
                  </td>
                  <td>{shortDate(t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="form-section section" aria-labelledby="titre-nouveau-territoire">
        <h2 id="titre-nouveau-territoire">Nouveau territoire</h2>
        <form onSubmit={(e) => void submit(e)} noValidate className="inline-form">
          <TextField
            label="Nom du territoire"
            hint="Par exemple « CLSM de Val-Fictif »."
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={error}
          />
          <Button type="submit" disabled={create.isPending}>
            Créer le territoire
          </Button>
        </form>
        {done && (
          <div role="status">
            <Notice type={VariantType.SUCCESS}>{done}</Notice>
          </div>
        )}
      </section>
    </div>
  );
}
