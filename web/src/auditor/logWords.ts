import type { CaseEventType, Schemas } from '../api/client';
import { CLASS_LABEL, EVENT_WORDING } from '../shared/labels';

/**
 * The access log's entries in words a DPO reads aloud to a person: what was done, on what
 * ground, or why it was refused. The log itself keeps the codes (the export is the record).
 */
const ACTIONS: Record<string, string> = {
  'case.read': 'Consultation de la situation',
  'case.create': 'Saisine enregistrée',
  'case.history': 'Consultation de l’historique',
  'case.list': 'Liste des situations',
  'case.action.update': 'Suivi d’une action du plan',
  'case.duplicates': 'Recherche de doublons',
  'case.purge.repeat': 'Effacement (nouvelle tentative)',
  'auth.login': 'Connexion',
  'auth.logout': 'Déconnexion',
  'admin.user.bootstrap': 'Premier compte d’administration',
  'admin.territory.create': 'Territoire créé',
  'admin.organisation.create': 'Organisation créée',
  'admin.user.create': 'Compte créé',
  'admin.user.update': 'Compte modifié',
  'commission.create': 'Cellule créée',
  'commission.member.add': 'Membre ajouté à la cellule',
  'commission.member.list': 'Liste des membres',
  'commission.charter.publish': 'Charte publiée',
  'commission.charter.read': 'Lecture de la charte',
  'commission.charter.accept': 'Charte acceptée',
  'session.create': 'Séance créée',
  'session.open': 'Séance ouverte',
  'session.close': 'Séance close',
  'session.attend': 'Présence en séance',
  'session.invite': 'Invitation à une séance',
  'session.agenda': 'Ordre du jour consulté',
  'session.dossier': 'Dossier de séance consulté',
  'stats.read': 'Statistiques consultées',
  'audit.events.list': 'Recherche dans le journal',
  'audit.events.export': 'Export du journal',
  'audit.verify': 'Vérification du journal',
  'audit.access-report': 'Rapport d’accès d’une situation',
  'audit.situation.find': 'Recherche d’une situation par sa référence',
  'audit.purge': 'Purge des entrées anciennes du journal',
  'register.read': 'Registre des traitements consulté',
  'key.kek.register': 'Clé de chiffrement enregistrée',
  'key.kek.rotate': 'Rotation des clés de chiffrement',
  'key.audit-signing.register': 'Clé de signature du journal enregistrée',
  'system.duplicates.confirm': 'Contrôle automatique des doublons',
  'system.duplicates.compare': 'Contrôle automatique des doublons (comparaison)',
  'system.leak-check': 'Contrôle automatique d’un texte',
  'system.rights.lookup.compare': 'Vérification d’identité pour une demande de droits',
  'auth.mfa': 'Second facteur de connexion',
  'auth.mfa.enroll': 'Second facteur enregistré',
  'auth.password.change': 'Mot de passe changé',
  'auth.address_limited': 'Trop d’échecs depuis une même adresse',
  'auth.oidc.login': 'Connexion par ProConnect ou Pro Santé Connect',
  'auth.oidc.link': 'Compte relié à ProConnect ou Pro Santé Connect',
  'admin.user.oidc.invite': 'Invitation à relier un compte (ProConnect, Pro Santé Connect)',
  'admin.user.oidc.unlink': 'Compte détaché de ProConnect ou Pro Santé Connect',
  'case.access-report': 'Rapport d’accès d’une situation',
  'case.information-letter': 'Lettre d’information de la personne',
  'case.consent-receipt': 'Récépissé de consentement',
  'case.consent-record': 'Export du consentement',
  'case.document.upload': 'Document déposé',
  'case.document.read': 'Document consulté',
  'case.document.list': 'Liste des documents',
  'case.referral.rectify': 'Rectification de la saisine',
  'case.session-records': 'Relevés de séance d’une situation',
  'session.record.read': 'Relevé de décisions consulté',
  'session.record.write': 'Relevé de décisions rédigé',
  'session.record.close': 'Relevé de décisions clos',
  'session.contribute': 'Contribution écrite avant la séance',
  'transparency.read': 'Consultation par la personne (code de transparence)',
  'rights.request.open': 'Demande de droits enregistrée',
  'rights.request.read': 'Demande de droits consultée',
  'rights.request.list': 'Liste des demandes de droits',
  'rights.request.lookup': 'Recherche des situations d’une personne (demande de droits)',
  'rights.request.handler': 'Professionnel chargé de remettre la copie',
  'rights.request.access-reports': 'Rapports d’accès pour une demande de droits',
  'rights.request.erase': 'Effacement demandé par la personne',
  'rights.request.object': 'Opposition de la personne',
  'rights.request.forward': 'Rectification transmise au référent',
  'rights.request.close': 'Demande de droits close',
  'rights.copy': 'Copie des données de la personne téléchargée, pour la lui remettre',
  'rights.copies.mine': 'Copies à remettre consultées',
  'rights.lookups.report': 'Rapport des recherches du délégué',
};

export function actionLabel(action: string): string {
  if (action.startsWith('case.event.')) {
    const wording = EVENT_WORDING[action.slice('case.event.'.length) as CaseEventType];
    return wording ? `Étape : ${wording.label.charAt(0).toLowerCase()}${wording.label.slice(1)}` : `Étape ${action.slice('case.event.'.length)}`;
  }
  if (action.startsWith('route:')) return `Accès à une fonction (${action.slice('route:'.length)})`;
  return ACTIONS[action] ?? action;
}

/** Why a request was refused (the access service's and the sign-in's reasons). */
const DENIALS: Record<string, string> = {
  no_role: 'son rôle ne le permet pas',
  no_relation: 'aucun lien avec cette ressource',
  other_territory: 'autre territoire',
  charter_not_accepted: 'charte de la cellule pas acceptée',
  session_not_open: 'séance pas ouverte',
  wrong_password: 'mot de passe erroné',
  unknown_account: 'compte inconnu',
  account_locked: 'trop de tentatives, compte bloqué temporairement',
  account_disabled: 'compte désactivé',
};

/** The ground of an access, in the third person (the relation it was made under). */
const GROUNDS: Record<Schemas['Relation'], string> = {
  referrer: 'référent de la situation',
  referring_service: 'service qui a adressé la situation',
  coordinator: 'coordination du territoire',
  attending_member: 'présent à la séance qui l’examine',
  action_owner: 'organisation porteuse d’une action du plan',
};

const OTHER_PURPOSES: Record<string, string> = {
  audit: 'contrôle',
  coordination: 'coordination du territoire',
  'start-up': 'démarrage du serveur',
  system: 'opération automatique',
};

/** The ground of an allowed access (the relations it was made under) or the reason of a refusal. */
export function purposeLabel(entry: Pick<Schemas['AuditEventDto'], 'decision' | 'purpose'>, onSituation = false): string {
  const purpose = entry.purpose ?? '';
  if (entry.decision === 'deny') {
    if (purpose.startsWith('policy: ')) return 'cette étape n’est pas permise à son rôle dans la situation';
    if (purpose === 'no_relation' && onSituation) return 'aucun lien avec cette situation';
    return DENIALS[purpose] ?? purpose;
  }
  const relations = purpose.replace(/^dossier:/, '').split(',');
  if (relations.every((r) => r in GROUNDS)) {
    const ground = relations.map((r) => GROUNDS[r as Schemas['Relation']]).join(' ; ');
    return purpose.startsWith('dossier:') ? `dossier de séance — ${ground}` : ground;
  }
  return OTHER_PURPOSES[purpose] ?? purpose;
}

/** « Identité de la personne, Éléments de santé » */
export function classesLabel(classes: string[]): string {
  return classes.map((c) => CLASS_LABEL[c as Schemas['DataClass']] ?? c).join(', ');
}
