export const SECTORS = ['health', 'social', 'housing', 'municipal', 'association', 'justice', 'education', 'coordination'] as const;
export type Sector = (typeof SECTORS)[number];

export const ROLES = ['referrer', 'member', 'coordinator', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PROFESSIONS = [
  'physician',
  'nurse',
  'psychologist',
  'other_health',
  'social_worker',
  'educator',
  'legal_guardian',
  'social_care_staff',
  'none',
] as const;
export type Profession = (typeof PROFESSIONS)[number];

export const CLASSES = ['meta', 'summary', 'plan', 'consent', 'identity', 'health', 'social'] as const;
export type DataClass = (typeof CLASSES)[number];
/** The classes whose content is encrypted and released only under consent. */
export const PROTECTED_CLASSES = ['identity', 'health', 'social'] as const;
export type ProtectedClass = (typeof PROTECTED_CLASSES)[number];

export const IDENTITY_FIELDS = ['lastName', 'firstName', 'birthDate', 'address', 'phone', 'email'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

/** Reports and measures taken outside the cellule, recorded on a case (issue 12; events.yaml `externalReports`). */
export const EXTERNAL_REPORT_KINDS = ['prosecutor_report', 'crip_information', 'care_without_consent', 'protection_measure_request'] as const;
export type ExternalReportKind = (typeof EXTERNAL_REPORT_KINDS)[number];
/**
 * The legal bases a report may name (events.yaml says which go with which kind): code and article.
 * cpp_40 Code de procédure pénale art. 40 · cp_226_14 Code pénal art. 226-14 · casf_l226_2_1 and
 * casf_l226_2_2 CASF (information préoccupante, secret partagé) · csp_l3212_1_tiers,
 * csp_l3212_1_peril, csp_l3212_3 and csp_l3213_1, csp_l3213_2 Code de la santé publique (soins
 * psychiatriques à la demande d'un tiers, en cas de péril imminent, en urgence; sur décision du
 * représentant de l'État, mesure provisoire du maire) · cc_430, cc_494_3 Code civil (ouverture
 * d'une mesure de protection, habilitation familiale) · casf_l271_6 CASF (mesure d'accompagnement judiciaire).
 */
export const LEGAL_BASES = [
  'cpp_40',
  'cp_226_14',
  'casf_l226_2_1',
  'casf_l226_2_2',
  'csp_l3212_1_tiers',
  'csp_l3212_1_peril',
  'csp_l3212_3',
  'csp_l3213_1',
  'csp_l3213_2',
  'cc_430',
  'cc_494_3',
  'casf_l271_6',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** The relations to a case that visibility.yaml releases classes to (access.yaml says who holds them). */
export const RELATIONS = ['referrer', 'referring_service', 'coordinator', 'attending_member', 'action_owner'] as const;
export type Relation = (typeof RELATIONS)[number];
export type Actor = Relation | 'system';

/** What an action is done on. Which facts can hold toward each kind is FACT_KINDS below. */
export const RESOURCE_KINDS = ['deployment', 'account', 'territory', 'commission', 'session', 'case'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * The facts the server computes about a caller and one resource (src/access/resources.ts), and
 * the kinds of resource each can hold toward. A relation of access.yaml is one fact, held by a
 * caller with one of the relation's roles.
 */
export const FACT_KINDS = {
  /** Always: a deployment-wide duty. */
  everywhere: RESOURCE_KINDS,
  /** The resource is in the caller's territory, or the caller is attached to none (the DPO). */
  audit_reach: RESOURCE_KINDS,
  /** The resource is the caller's own account. */
  own_account: ['account'],
  /** The resource belongs to the caller's territory. */
  same_territory: ['territory', 'commission', 'session', 'case'],
  /** A member, or a deputy, of the commission (of the session's commission). */
  commission_member: ['commission', 'session'],
  /** Invited to the session (for a commission: to one of its sessions). */
  invited: ['commission', 'session'],
  /** Recorded attendance at the session, open now, under the commission's current charter. */
  attends: ['session'],
  /** Recorded attendance at the session (ticked by themself or the coordinator), whatever its status. */
  attended: ['session'],
  /**
   * May read the session's dossier now (issue 12): a member or deputy of the commission, or
   * invited, who accepted the current charter, from the days before the session
   * (lifecycle.yaml `dossier.opensDaysBefore`) while it is planned; then an attendee, until
   * the session's record is closed.
   */
  dossier_window: ['session'],
  /** Wrote the referral of a situation the session's closed record holds. */
  referred_on_closed_record: ['session'],
  /** Wrote the referral. */
  wrote_referral: ['case'],
  /** Belongs to the organisation that referred the case, and is not the referrer: a colleague. */
  referring_organisation: ['case'],
  /**
   * Attends an open session that has the case on its open agenda (scheduled, its plan not adopted
   * yet), as a member or deputy of the commission or invited for that case.
   */
  attends_review: ['case'],
  /**
   * The caller's organisation owns an open action (not done) of the case's current plan, and the
   * caller was vouched for: a member or deputy of the case's commission (whom only its
   * coordinator adds), or the professional the coordinator named on that action.
   */
  owns_action: ['case'],
  /**
   * Named by the coordinator as the handler of an open rights request (issue 15) that links the
   * case: they hand the person the copy of her data.
   */
  named_rights_handler: ['case'],
} as const satisfies Record<string, readonly ResourceKind[]>;
export type Fact = keyof typeof FACT_KINDS;
export const FACTS = Object.keys(FACT_KINDS) as Fact[];

/** Conditions an action may require besides a relation (access.yaml `when`), and what they apply to. */
export const CONDITION_KINDS = {
  /** The caller accepted the current version of the commission's charter. */
  charter_accepted: ['session'],
  /** The session is open. */
  session_open: ['session'],
} as const satisfies Record<string, readonly ResourceKind[]>;
export type Condition = keyof typeof CONDITION_KINDS;
export const CONDITIONS = Object.keys(CONDITION_KINDS) as Condition[];

/**
 * Every action a route declares (`@Access(...)`) or a service requires, with the kind of resource
 * it is decided on. access.yaml must say which relations permit each of them, no more, no less.
 */
export const ACTIONS = {
  'me.read': 'account',
  'me.password': 'account',
  'me.recent': 'account',
  'me.notifications': 'account',
  'me.todo': 'territory',
  'territory.create': 'deployment',
  'territory.list': 'deployment',
  'organisation.create': 'deployment',
  'organisation.list': 'territory',
  'user.create': 'deployment',
  'user.list': 'territory',
  'user.update': 'deployment',
  'user.second-factor.remove': 'account',
  'user.second-factor.confirm': 'account',
  'user.second-factor.list': 'territory',
  'user.oidc.invite': 'deployment',
  'user.oidc.list': 'deployment',
  'user.oidc.unlink': 'deployment',
  'commission.create': 'territory',
  'commission.list': 'territory',
  'commission.member.add': 'commission',
  'commission.member.remove': 'commission',
  'commission.member.list': 'commission',
  'commission.charter.publish': 'commission',
  'commission.charter.read': 'commission',
  'commission.charter.accept': 'commission',
  'session.create': 'commission',
  'session.list': 'commission',
  'session.open': 'session',
  'session.close': 'session',
  'session.attend': 'session',
  'session.invite': 'session',
  'session.invitations.list': 'session',
  'session.agenda': 'session',
  'session.dossier': 'session',
  'session.contribute': 'session',
  'session.attendance.list': 'session',
  'session.attendance.mark': 'session',
  'session.record.read': 'session',
  'session.record.write': 'session',
  'session.record.close': 'session',
  'case.create': 'territory',
  'case.list': 'case',
  'case.read': 'case',
  'case.history': 'case',
  'case.event': 'case',
  'case.action.update': 'case',
  'case.action.list': 'case',
  'case.duplicates': 'case',
  'case.document.upload': 'case',
  'case.document.list': 'case',
  'case.document.read': 'case',
  'case.access-report': 'case',
  'case.information-letter': 'case',
  'case.consent-receipt': 'case',
  'case.consent-record': 'case',
  'stats.read': 'territory',
  'stats.regional': 'deployment',
  'audit.events.list': 'territory',
  'audit.events.export': 'territory',
  'audit.verify': 'deployment',
  'audit.access-report': 'territory',
  'audit.situation.find': 'territory',
  'register.read': 'deployment',
  'notification.deliveries': 'deployment',
  'rights.request.open': 'territory',
  'rights.request.list': 'territory',
  'rights.request.read': 'territory',
  'rights.request.lookup': 'territory',
  'rights.request.act': 'territory',
  'rights.request.handler': 'territory',
  'rights.lookups.report': 'territory',
  'rights.copy': 'case',
  'rights.copies.mine': 'account',
} as const satisfies Record<string, ResourceKind>;
export type Action = keyof typeof ACTIONS;

/**
 * Actions on a situation's content. To a caller none of whose roles can relate to any situation
 * (an auditor, an admin) they answer as for an unknown situation: 404, whatever the id (API.md:
 * "a case the user has no relation to → 404"). Other refusals on role alone are 403.
 */
export const CASE_CONTENT_ACTIONS: readonly Action[] = [
  'case.read',
  'case.history',
  'case.event',
  'case.action.update',
  'case.document.upload',
  'case.document.list',
  'case.document.read',
  'case.access-report',
  'case.information-letter',
  'case.consent-receipt',
  'case.consent-record',
];

/**
 * Actions without an account (access.yaml `public`), each decided on one fact the server checks
 * (src/access/public.ts): the transparency page of a situation (issue 15), open to whoever holds
 * its reference and the code of its latest consent receipt.
 */
export const PUBLIC_ACTIONS = { 'transparency.read': 'case' } as const satisfies Record<string, ResourceKind>;
export type PublicAction = keyof typeof PUBLIC_ACTIONS;
/** The facts a public action may rest on. */
export const PUBLIC_FACTS = ['holds_transparency_code'] as const;
export type PublicFact = (typeof PUBLIC_FACTS)[number];

/** A relation of access.yaml: the fact checked, and the roles that can hold it. */
export interface Holder {
  fact: Fact;
  roles: Role[];
}

/** Which relations permit an action, and the conditions that must hold as well. */
export interface Permission {
  relations: string[];
  when: Condition[];
}

export interface RelationRule {
  states: 'all' | string[];
  always: DataClass[];
  consented: Partial<Record<ProtectedClass, { fields: 'all' | string[] }>>;
  /**
   * Which other organisations involved with the person the relation learns of (the owners of plan
   * actions, the organisations in the history, the referring one, the partner sectors): `all`, or
   * `consented` — its own, and those whose involvement the consent releases to its sector.
   */
  involvement: 'all' | 'consented';
}

/** What the involvement of an organisation of a sector reveals about the person (sectors.yaml). */
export type Involvement = ProtectedClass | 'nothing';

/** The flows of the processing whose legal bases controller.yaml states (issue 15, item 1). */
export const FLOWS = ['referral', 'consent_sharing', 'session_review', 'action_plan', 'statistics', 'audit'] as const;
export type Flow = (typeof FLOWS)[number];

/** One flow's legal bases: GDPR art. 6 and 9 and the French texts (controller.yaml). */
export interface LegalBasisOfFlow {
  purpose: string;
  article6: string;
  article9: string;
  french: string;
}

/** controller.yaml: who is responsible, whom the person writes to, who hosts the data, and on which bases. */
export interface Responsibility {
  controller: { name: string; address: string };
  dpo: { name: string; contact: string };
  host: { name: string; certification: string };
  legalBases: Record<Flow, LegalBasisOfFlow>;
}

/** The policy documents of policies/, validated and merged. */
export interface Policy extends Responsibility {
  sectors: Record<Sector, { regime: string; basis: string; involvement: Involvement }>;
  healthProfessions: Profession[];
  socialProfessions: Profession[];
  /**
   * sectors.yaml: health content only to a profession a Pro Santé Connect sign-in proved (issue
   * 16), never to one an admin only declared. Absent: false.
   */
  healthRequiresProvenProfession?: boolean;
  relations: Record<Relation, RelationRule>;
  never: Partial<Record<Relation, DataClass[]>>;
  events: Record<string, Actor[]>;
  /** events.yaml: for each kind of external report, the class it is sealed in (who sees it) and its legal bases. */
  externalReports: Record<ExternalReportKind, { class: 'social' | 'health'; legalBases: LegalBasis[] }>;
  consent: { defaultValidityMonths: number };
  reopen: { windowDays: number };
  followUp: { defaultMonths: number };
  /** lifecycle.yaml: how many days before a session its dossier opens to the members who accepted the charter. */
  dossier: { opensDaysBefore: number };
  retention: { protectedClassesAfterClosureDays: number; auditLogDays: number };
  /**
   * transparency.yaml: the transparency page's limits on wrong codes — per client, and per
   * reference counted once per client — within a fixed window (issue 15).
   */
  transparency: { windowSeconds: number; clientMaxFailures: number; referenceMaxClients: number };
  /** statistics.yaml: under this count, a figure meant for publication is "suppressed". */
  statistics: { smallCountThreshold: number };
  /** access.yaml: who can hold each relation (the case relations above included). */
  holders: Record<string, Holder>;
  /** access.yaml: which relations permit each action. */
  permissions: Record<Action, Permission>;
  /** access.yaml: the actions open without an account, and the fact each rests on. */
  public: Record<PublicAction, { fact: PublicFact }>;
  /** access.yaml: what an account's roles require and exclude, and which need a second factor. */
  accounts: { withOrganisation: Role[]; exclusive: Role[][]; secondFactor: Role[] };
}

/** The longest text of the register (a sector's regime or basis in sectors.yaml, a relation's tie): the loader refuses longer. */
export const REGISTER_TEXT_MAX = 1000;
