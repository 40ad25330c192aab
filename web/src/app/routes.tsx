import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Me } from '../api/client';

/**
 * The workspace's screens, by role. Each later screen is one entry here: its path (French words,
 * references or ids only — never a name), the roles that see it, and whether it is in the main
 * navigation. Screens load on demand, so the first screen only costs the shell and the sign-in.
 *
 * The referrer's screens, the member's (séances, charte, dossier, actions of their organisation),
 * the coordinator's (tableau de bord, saisines, séances with their agenda, statistiques), and the
 * situation page, which every role with a relation to a situation reaches. To come: auditor
 * (journal des accès, vérification, rapport d'accès, registre), admin (territoires,
 * organisations, comptes).
 */
export type Role = Me['roles'][number];

export interface AppRoute {
  path: string;
  /** Who may open it; absent: every signed-in account. */
  roles?: Role[];
  /** Its entry in the main navigation, if any. */
  nav?: string;
  component: LazyExoticComponent<ComponentType>;
}

export const ROUTES: AppRoute[] = [
  { path: 'mes-situations', roles: ['referrer'], nav: 'Mes situations', component: lazy(() => import('../referrer/MySituationsPage')) },
  { path: 'saisine/nouvelle', roles: ['referrer'], nav: 'Nouvelle saisine', component: lazy(() => import('../referrer/ReferralFormPage')) },
  { path: 'coordination', roles: ['coordinator'], nav: 'Tableau de bord', component: lazy(() => import('../coordinator/DashboardPage')) },
  { path: 'coordination/saisines', roles: ['coordinator'], nav: 'Saisines', component: lazy(() => import('../coordinator/ScreeningPage')) },
  { path: 'coordination/saisines/:id', roles: ['coordinator'], component: lazy(() => import('../coordinator/ScreeningCasePage')) },
  { path: 'coordination/seances', roles: ['coordinator'], nav: 'Séances', component: lazy(() => import('../coordinator/SessionsPage')) },
  { path: 'coordination/seances/:id', roles: ['coordinator'], component: lazy(() => import('../coordinator/SessionPage')) },
  { path: 'seances', roles: ['member'], nav: 'Mes séances', component: lazy(() => import('../member/MySessionsPage')) },
  { path: 'seances/:id', roles: ['member'], component: lazy(() => import('../member/SessionPage')) },
  { path: 'charte/:id', roles: ['member'], component: lazy(() => import('../member/CharterPage')) },
  { path: 'actions', roles: ['member', 'referrer'], nav: 'Actions', component: lazy(() => import('../member/ActionsPage')) },
  { path: 'situations', roles: ['member', 'coordinator'], nav: 'Situations', component: lazy(() => import('../situations/SituationsPage')) },
  { path: 'coordination/statistiques', roles: ['coordinator'], nav: 'Statistiques', component: lazy(() => import('../coordinator/StatsPage')) },
  { path: 'situations/:id', component: lazy(() => import('../situations/SituationPage')) },
  { path: 'accueil', component: lazy(() => import('../pages/HomePage')) },
  { path: 'mot-de-passe', component: lazy(() => import('../pages/PasswordPage')) },
];

export function allowed(route: AppRoute, user: Me): boolean {
  return !route.roles || route.roles.some((role) => user.roles.includes(role));
}

/** Where an account lands after sign-in. */
export function homeOf(user: Me): string {
  if (user.roles.includes('coordinator')) return '/coordination';
  if (user.roles.includes('referrer')) return '/mes-situations';
  if (user.roles.includes('member')) return '/seances';
  return '/accueil';
}
