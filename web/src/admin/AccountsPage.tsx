import { VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useMemo, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useOrganisations, useUsers } from '../api/queries';
import { DeliveryStatus } from '../notifications/DeliveryStatus';
import { ButtonLink } from '../shared/ButtonLink';
import { TextField } from '../shared/fields';
import { PROFESSION_LABEL, ROLE_LABEL } from '../shared/labels';
import { Notice } from '../shared/Notice';
import { QueryState } from '../shared/QueryState';
import { Tabs } from '../shared/Tabs';
import { usePageTitle } from '../shared/usePageTitle';
import '../styles/oversight.css';

type Tab = 'actifs' | 'desactives';

/** The accounts, active and disabled as tabs with their counts, found by name, email or organisation. */
export default function AccountsPage() {
  usePageTitle('Comptes');
  const users = useUsers();
  const organisations = useOrganisations();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState('');
  const tab: Tab = params.get('onglet') === 'desactives' ? 'desactives' : 'actifs';
  const orgName = useMemo(() => new Map((organisations.data ?? []).map((o) => [o.id, o.name])), [organisations.data]);
  const done = (location.state as { done?: string } | null)?.done;

  const all = users.data ?? [];
  const needle = search.trim().toLowerCase();
  const shown = all
    .filter((u) => (tab === 'actifs' ? !u.disabled : u.disabled))
    .filter((u) => !needle || [u.displayName, u.email, orgName.get(u.organisationId ?? '') ?? ''].some((text) => text.toLowerCase().includes(needle)));

  return (
    <div className="page">
      <div className="page__head">
        <h1>Comptes</h1>
        <ButtonLink to="/administration/comptes/nouveau">Créer un compte</ButtonLink>
      </div>
      {done && (
        <div role="status">
          <Notice type={VariantType.SUCCESS}>{done}</Notice>
        </div>
      )}
      <p className="lead">
        Chaque personne a son propre compte : un rôle, une organisation, une catégorie professionnelle. Un compte désactivé ne peut plus se connecter, et ses
        sessions en cours s’arrêtent aussitôt ; son historique reste dans le journal.
      </p>
      <DeliveryStatus />
      <QueryState isPending={users.isPending} error={users.error} what="les comptes" />
      {users.data && (
        <>
          <div className="inline-form">
            <TextField
              label="Rechercher un compte"
              hint="Nom, adresse électronique ou organisation."
              value={search}
              onChange={(e) => setSearch(e.target.value)}
            />
          </div>
          <Tabs
            label="Comptes par état"
            items={[
              { key: 'actifs' as Tab, label: 'Actifs', count: all.filter((u) => !u.disabled).length },
              { key: 'desactives' as Tab, label: 'Désactivés', count: all.filter((u) => u.disabled).length },
            ]}
            selected={tab}
            onSelect={(key) => setParams({ onglet: key }, { replace: true })}
          >
            {shown.length ? (
              <div className="table-wrap">
                <table className="table">
                  <caption className="visually-hidden">{tab === 'actifs' ? 'Comptes actifs' : 'Comptes désactivés'}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Nom</th>
                      <th scope="col">Adresse électronique</th>
                      <th scope="col">Organisation</th>
                      <th scope="col">Rôles</th>
                      <th scope="col">Catégorie professionnelle</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((u) => (
                      <tr key={u.id}>
                        <th scope="row">
                          <Link to={`/administration/comptes/${u.id}`}>{u.displayName}</Link>
                        </th>
                        <td>{u.email}</td>
                        <td>{u.organisationId ? (orgName.get(u.organisationId) ?? '—') : 'Aucune'}</td>
                        <td>
                          {u.roles.map((r) => (
                            <span key={r} className={`tag${u.disabled ? ' tag--off' : ''}`}>
                              {ROLE_LABEL[r]}
                            </span>
                          ))}
                        </td>
                        <td>{PROFESSION_LABEL[u.profession].label}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="empty">
                {needle ? 'Aucun compte ne correspond à cette recherche.' : tab === 'actifs' ? 'Aucun compte actif.' : 'Aucun compte désactivé.'}
              </p>
            )}
          </Tabs>
        </>
      )}
    </div>
  );
}
