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

export const RELATIONS = ['referrer', 'coordinator', 'attending_member', 'action_owner'] as const;
export type Relation = (typeof RELATIONS)[number];
export type Actor = Relation | 'system';

export interface RelationRule {
  states: 'all' | string[];
  always: DataClass[];
  consented: Partial<Record<ProtectedClass, { fields: 'all' | string[] }>>;
}

/** The policy documents of policies/, validated and merged. */
export interface Policy {
  sectors: Record<Sector, { regime: string; basis: string }>;
  healthProfessions: Profession[];
  socialProfessions: Profession[];
  relations: Record<Relation, RelationRule>;
  never: Partial<Record<Relation, DataClass[]>>;
  events: Record<string, Actor[]>;
  actionStatus: Relation[];
  consent: { defaultValidityMonths: number };
  reopen: { windowDays: number };
  followUp: { defaultMonths: number };
  retention: { protectedClassesAfterClosureDays: number; auditLogDays: number };
}
