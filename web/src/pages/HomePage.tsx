import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useCases, useOrganisations, useTerritories, useUsers } from '../api/queries';
import { RecentlyViewed } from '../situations/RecentlyViewed';
import { BUCKETS, isBucket, type Bucket } from '../referrer/buckets';
import { useUser } from '../session/SessionProvider';
import { SituationTable } from '../situations/SituationTable';
import { count } from '../shared/format';
import { ROLE_HELP, ROLE_LABEL } from '../shared/labels';
import { QueryState } from '../shared/QueryState';
import { Tabs } from '../shared/Tabs';
import { situationTabs } from '../situations/situationTabs';
import { usePageTitle } from '../shared/usePageTitle';
import { HOME_EMPTY, homeGroups, homeRole, type HomeRole } from './homeBuckets';
import { TodoSection } from './TodoSection';
import '../styles/oversight.css';

const SHOWN = 5;

/**
 * The home page of every role: who the account is and what its roles do; for those who work on
 * situations, their situations as tabs with counters and the ones they opened lately (from the
 * server's access log of their own reads: nothing is kept in the browser); for the DPO and the
 * administration, their tasks. References only, never a name.
 */
export default function HomePage() {
  const user = useUser();
  usePageTitle('Accueil');
  const role = homeRole(user.roles);
  return (
    <div className="page">
      <h1>Bonjour {user.displayName}</h1>
      <ul className="muted role-lines">
        {user.roles.map((r) => (
          <li key={r}>
            <strong>{ROLE_LABEL[r]}</strong> : {ROLE_HELP[r]}
          </li>
        ))}
      </ul>
      {(role || user.roles.includes('auditor')) && <TodoSection />}
      {role && <Situations role={role} />}
      {role && <RecentlyViewed />}
      {user.roles.includes('auditor') && <AuditorTasks />}
      {user.roles.includes('admin') && <AdminTasks />}
    </div>
  );
}

function Situations({ role }: { role: HomeRole }) {
  const cases = useCases();
  const [params, setParams] = useSearchParams();
  const groups = useMemo(() => homeGroups(role, cases.data ?? []), [role, cases.data]);
  const tab = params.get('onglet');
  const selected: Bucket = isBucket(tab) ? tab : (BUCKETS.find((b) => groups[b.key].length)?.key ?? 'a-traiter');
  const current = BUCKETS.find((b) => b.key === selected)!;
  const list = groups[selected];
  const all = role === 'referrer' ? `/mes-situations?onglet=${selected}` : '/situations';
  return (
    <section className="section" aria-labelledby="titre-vos-situations">
      <h2 id="titre-vos-situations">Vos situations</h2>
      <QueryState isPending={cases.isPending} error={cases.error} what="vos situations" />
      {cases.data && (
        <Tabs
          label="Vos situations par étape"
          items={situationTabs(BUCKETS, groups)}
          selected={selected}
          onSelect={(key) => setParams({ onglet: key }, { replace: true })}
        >
          {list.length ? (
            <>
              <SituationTable caption={`${current.label} : ${list.length} situation(s)`} items={list.slice(0, SHOWN)} nextStep={role === 'referrer'} />
              {list.length > SHOWN && (
                <p className="section">
                  <Link to={all}>
                    Voir les {list.length} situations « {current.label.toLowerCase()} »
                  </Link>
                </p>
              )}
            </>
          ) : (
            <p className="empty">{HOME_EMPTY[role][selected]}</p>
          )}
        </Tabs>
      )}
    </section>
  );
}

function Task({ to, title, figure, children }: { to: string; title: string; figure?: string; children: string }) {
  return (
    <li>
      <div className="card">
        <p className="card__title">
          <Link to={to}>{title}</Link>
        </p>
        {figure && <span className="card__figure">{figure}</span>}
        <span className="muted">{children}</span>
      </div>
    </li>
  );
}

function AuditorTasks() {
  return (
    <section className="section" aria-labelledby="titre-controle">
      <h2 id="titre-controle">Contrôle et droits des personnes</h2>
      <p className="muted">Votre rôle ne donne accès au contenu d’aucune situation : vous voyez qui a consulté quoi, quand, et sur quel fondement.</p>
      <ul className="cards">
        <Task to="/droits" title="Demandes de droits">
          Accès, rectification, effacement, opposition : retrouver les situations de la personne, appliquer, clore avec le relevé.
        </Task>
        <Task to="/journal" title="Journal des accès">
          Rechercher par situation, personne, organisation, période ou décision ; exporter.
        </Task>
        <Task to="/journal/verification" title="Vérification du journal">
          Prouver qu’aucune entrée n’a été modifiée ni supprimée.
        </Task>
        <Task to="/journal/rapport-acces" title="Rapport d’accès d’une situation">
          Répondre à la demande d’accès d’une personne : qui a consulté quoi, et quand.
        </Task>
        <Task to="/registre" title="Registre des traitements">
          Le registre (RGPD, article 30) et les flux de données, tels que le serveur les applique.
        </Task>
      </ul>
    </section>
  );
}

function AdminTasks() {
  const territories = useTerritories();
  const organisations = useOrganisations();
  const users = useUsers();
  const active = users.data?.filter((u) => !u.disabled).length;
  const disabled = users.data?.filter((u) => u.disabled).length;
  return (
    <section className="section" aria-labelledby="titre-administration">
      <h2 id="titre-administration">Administration</h2>
      <p className="muted">
        Votre rôle ne donne accès au contenu d’aucune situation : vous gérez qui peut se connecter, pour quelle organisation, avec quel rôle.
      </p>
      <ul className="cards">
        <Task to="/administration/territoires" title="Territoires" figure={territories.data ? String(territories.data.length) : undefined}>
          Un par conseil local de santé mentale.
        </Task>
        <Task to="/administration/organisations" title="Organisations" figure={organisations.data ? String(organisations.data.length) : undefined}>
          CCAS, CMP, bailleurs… et leur secteur.
        </Task>
        <Task to="/administration/comptes" title="Comptes" figure={active !== undefined ? String(active) : undefined}>
          {disabled !== undefined
            ? `Comptes actifs ; ${count(disabled, 'compte désactivé', 'comptes désactivés', 'aucun compte désactivé')}.`
            : 'Comptes actifs.'}
        </Task>
        <Task to="/registre" title="Registre des traitements">
          Ce que les règles en vigueur permettent, à qui.
        </Task>
      </ul>
    </section>
  );
}
