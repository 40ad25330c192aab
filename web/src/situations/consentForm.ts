import type { EventFields } from '../api/queries';
import type { Schemas } from '../api/client';
import { parisDay, parseFrenchDate, pastDayInstant } from '../shared/format';

/** RECORD_CONSENT as the referrer fills it: who was informed, how, and the scope, sector by class. */
export type Sector = Schemas['OrganisationDto']['sector'];
export type ProtectedClass = 'identity' | 'social' | 'health';

export const SCOPE_SECTORS: Sector[] = ['health', 'social', 'housing', 'municipal', 'association', 'justice', 'education'];
export const SCOPE_CLASSES: ProtectedClass[] = ['identity', 'social', 'health'];

/** Each class in one sentence, as the referrer explains it to the person. */
export const CLASS_EXPLAINED: Record<ProtectedClass, string> = {
  identity: 'Son nom, sa date de naissance et ses coordonnées, pour la contacter ou agir auprès d’elle.',
  social: 'Sa situation sociale : ressources, droits, famille, démarches en cours.',
  health: 'Son suivi de santé et ses soins ; seuls les professionnels de santé du secteur choisi peuvent les lire.',
};

export interface ConsentForm {
  decision: '' | 'granted' | 'refused';
  informedAt: string;
  method: '' | 'written' | 'oral' | 'representative';
  scope: Record<string, boolean>;
  /** When a representative answered: the measure they hold and their organisation (issue 12). */
  representativeMeasure?: RepresentativeMeasure | '';
  representativeOrganisation?: string;
}

export type RepresentativeMeasure = NonNullable<EventFields<'RECORD_CONSENT'>['representative']>['measure'];

export const scopeKey = (sector: Sector, cls: ProtectedClass) => `${sector}:${cls}`;

/** A scope as ticked in the sector × class table: `sector:class` → ticked. */
export type ScopeChoice = Record<string, boolean>;

/** Every sector × class the form offers ticked: the information letter's proposal before the referrer narrows it. */
export function fullScope(): ScopeChoice {
  return Object.fromEntries(SCOPE_SECTORS.flatMap((sector) => SCOPE_CLASSES.map((cls) => [scopeKey(sector, cls), true])));
}

/** The ticked boxes as the API's scope: sectors with at least one class, in the table's order. */
export function scopeEntries(choice: ScopeChoice): { sector: Sector; classes: ProtectedClass[] }[] {
  return SCOPE_SECTORS.map((sector) => ({ sector, classes: SCOPE_CLASSES.filter((cls) => choice[scopeKey(sector, cls)]) })).filter(
    (entry) => entry.classes.length > 0,
  );
}

/** What the letter needs before it is printed: at least one sharing proposed. */
export function proposalProblems(choice: ScopeChoice): Record<string, string> {
  return scopeEntries(choice).length ? {} : { scope: 'Cochez au moins un partage à proposer à la personne.' };
}

export function consentProblems(form: ConsentForm, today = new Date()): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!form.decision) problems.decision = 'Indiquez la réponse de la personne.';
  const iso = parseFrenchDate(form.informedAt);
  if (!iso) problems.informedAt = 'Indiquez la date au format JJ/MM/AAAA.';
  else if (iso > parisDay(today)) problems.informedAt = 'Cette date ne peut pas être dans le futur.';
  if (!form.method) problems.method = 'Indiquez comment la personne a été informée.';
  if (form.method === 'representative') {
    if (!form.representativeMeasure) problems['representative.measure'] = 'Indiquez à quel titre le représentant a répondu.';
    if (!form.representativeOrganisation?.trim())
      problems['representative.organisation'] = 'Indiquez le service mandataire (ou « les parents » pour l’autorité parentale), sans nom de personne.';
  }
  if (form.decision === 'granted' && !Object.values(form.scope).some(Boolean)) problems.scope = 'Cochez au moins un partage, ou enregistrez un refus.';
  return problems;
}

export function consentBody(form: ConsentForm, now = new Date()): EventFields<'RECORD_CONSENT'> {
  const scope = scopeEntries(form.scope);
  return {
    decision: form.decision as 'granted' | 'refused',
    informedAt: pastDayInstant(parseFrenchDate(form.informedAt)!, now),
    method: form.method as 'written' | 'oral' | 'representative',
    ...(form.method === 'representative'
      ? { representative: { measure: form.representativeMeasure as RepresentativeMeasure, organisation: (form.representativeOrganisation ?? '').trim() } }
      : {}),
    ...(form.decision === 'granted' ? { scope } : {}),
  };
}
