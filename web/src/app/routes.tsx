import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Me } from '../api/client';

/**
 * The workspace's screens, by role. Each later screen is one entry here: its path (French words,
 * references or ids only — never a name), the roles that see it, and whether it is in the main
 * navigation. Screens load on demand, so the first screen only costs the shell and the sign-in.
 *
 * The home page of every role; the referrer's screens, the member's (séances, charte, dossier,
 * actions of their organisation), the coordinator's (tableau de bord, saisines, séances with their
 * agenda, statistiques), the auditor's (journal des accès, vérification, rapport d'accès,
 * registre), the admin's (territoires, organisations, comptes), and the situation page, which
 * every role with a relation to a situation reaches.
 */
export type Role = Me['roles'][number];

export interface AppRoute {
  path: string;
  /** Who may open it; absent: every signed-in account. */
  roles?: Role[];
  /** Its entry in the main navigation, if any. */
  nav?: string;
  /**
   * The entry is shown only while there is something there, with how many (the page itself stays
   * reachable, from a notification): the copies of a person's data to hand over.
   */
  navOnlyWhen?: 'copies-to-hand-over';
  component: LazyExoticComponent<ComponentType>;
}

export const ROUTES: AppRoute[] = [
  { path: 'accueil', nav: 'Accueil', component: lazy(() => import('../pages/HomePage')) },
  { path: 'mes-situations', roles: ['referrer'], nav: 'Mes situations', component: lazy(() => import('../referrer/MySituationsPage')) },
  { path: 'saisine/nouvelle', roles: ['referrer'], nav: 'Nouvelle saisine', component: lazy(() => import('../referrer/ReferralFormPage')) },
  { path: 'coordination', roles: ['coordinator'], nav: 'Tableau de bord', component: lazy(() => import('../coordinator/DashboardPage')) },
  { path: 'coordination/saisines', roles: ['coordinator'], nav: 'Saisines', component: lazy(() => import('../coordinator/ScreeningPage')) },
  { path: 'coordination/saisines/:id', roles: ['coordinator'], component: lazy(() => import('../coordinator/ScreeningCasePage')) },
  { path: 'coordination/seances', roles: ['coordinator'], nav: 'Séances', component: lazy(() => import('../coordinator/SessionsPage')) },
  { path: 'coordination/seances/:id', roles: ['coordinator'], component: lazy(() => import('../coordinator/SessionPage')) },
  { path: 'seances', roles: ['member'], nav: 'Mes séances', component: lazy(() => import('../member/MySessionsPage')) },
  { path: 'seances/:id', roles: ['member'], component: lazy(() => import('../member/SessionPage')) },
  { path: 'seances/:id/releve', roles: ['member', 'referrer', 'coordinator'], component: lazy(() => import('../sessions/RecordPage')) },
  { path: 'charte/:id', roles: ['member'], component: lazy(() => import('../member/CharterPage')) },
  { path: 'actions', roles: ['member', 'referrer'], nav: 'Actions', component: lazy(() => import('../member/ActionsPage')) },
  { path: 'situations', roles: ['member', 'coordinator'], nav: 'Situations', component: lazy(() => import('../situations/SituationsPage')) },
  { path: 'coordination/statistiques', roles: ['coordinator'], nav: 'Statistiques', component: lazy(() => import('../coordinator/StatsPage')) },
  { path: 'situations/:id', component: lazy(() => import('../situations/SituationPage')) },
  { path: 'mot-de-passe', component: lazy(() => import('../pages/PasswordPage')) },
  // Every account: its notifications (the header's counter links there) and its settings (the email preference, the password)
  { path: 'notifications', component: lazy(() => import('../notifications/NotificationsPage')) },
  { path: 'mon-compte', component: lazy(() => import('../notifications/MyAccountPage')) },
  // The auditor (DPO): the access log, its verification, a situation's access report
  { path: 'journal', roles: ['auditor'], nav: 'Journal des accès', component: lazy(() => import('../auditor/AccessLogPage')) },
  { path: 'journal/verification', roles: ['auditor'], nav: 'Vérification', component: lazy(() => import('../auditor/VerifyPage')) },
  { path: 'journal/rapport-acces', roles: ['auditor'], nav: 'Rapport d’accès', component: lazy(() => import('../auditor/AccessReportPage')) },
  // A person's rights requests (issue 15): the DPO handles them, the coordinator follows them and reads the DPO's lookups
  { path: 'droits', roles: ['auditor', 'coordinator'], nav: 'Demandes de droits', component: lazy(() => import('../rights/RightsRequestsPage')) },
  { path: 'droits/recherches', roles: ['coordinator'], nav: 'Recherches du DPO', component: lazy(() => import('../rights/LookupsReportPage')) },
  { path: 'droits/:id', roles: ['auditor', 'coordinator'], component: lazy(() => import('../rights/RightsRequestPage')) },
  // The copies of a person's data to hand over: the referrer of the situation or the professional the coordinator named
  {
    path: 'copies-a-remettre',
    roles: ['referrer', 'member'],
    nav: 'Copies à remettre',
    navOnlyWhen: 'copies-to-hand-over',
    component: lazy(() => import('../rights/CopiesPage')),
  },
  // The admin: territories, organisations, accounts
  { path: 'administration/territoires', roles: ['admin'], nav: 'Territoires', component: lazy(() => import('../admin/TerritoriesPage')) },
  { path: 'administration/organisations', roles: ['admin'], nav: 'Organisations', component: lazy(() => import('../admin/OrganisationsPage')) },
  { path: 'administration/comptes', roles: ['admin'], nav: 'Comptes', component: lazy(() => import('../admin/AccountsPage')) },
  { path: 'administration/comptes/nouveau', roles: ['admin'], component: lazy(() => import('../admin/AccountNewPage')) },
  { path: 'administration/comptes/:id', roles: ['admin'], component: lazy(() => import('../admin/AccountPage')) },
  { path: 'administration/rapport-regional', roles: ['admin'], nav: 'Rapport régional', component: lazy(() => import('../admin/RegionalReportPage')) },
  // The register of processing: the auditor's and the admin's
  { path: 'registre', roles: ['auditor', 'admin'], nav: 'Registre', component: lazy(() => import('../auditor/RegisterPage')) },
];

export function allowed(route: AppRoute, user: Me): boolean {
  return !route.roles || route.roles.some((role) => user.roles.includes(role));
}

/**
 * Where an account lands after sign-in: the coordinator on the dashboard, a member on their
 * sessions (the charter to accept first); the others on the home page (their situations as tabs,
 * their tasks). Each landing page lists the situations opened lately.
 */
export function homeOf(user: Me): string {
  if (user.roles.includes('coordinator')) return '/coordination';
  if (user.roles.includes('member') && !user.roles.includes('referrer')) return '/seances';
  return '/accueil';
}
