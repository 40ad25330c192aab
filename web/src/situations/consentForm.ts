import type { EventFields } from '../api/queries';
import type { Schemas } from '../api/client';
import { parisDay, parseFrenchDate, pastDayInstant } from '../shared/format';

/** RECORD_CONSENT as the referrer fills it: who was informed, how, and the scope, sector by class. */
export type Sector = Schemas['OrganisationDto']['sector'];

/**
 * What the information letter may propose and a consent may cover, as the server serves it with
 * the situation (`proposable`, from the policies): the only boxes the screens draw, so that a
 * deployment that narrows its policies is never offered a box it refuses.
 */
export type Proposable = Schemas['ProposableScopeDto'];
export type ProtectedClass = Proposable['classes'][number];

/** A viewer the situation gives no `proposable` to (they neither print the letter nor record the consent): no box. */
export const NOTHING_PROPOSABLE: Proposable = { sectors: [], classes: [] };

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

/** Every sector × class that may be proposed, ticked: the information letter's proposal before the referrer narrows it. */
export function fullScope(proposable: Proposable): ScopeChoice {
  return Object.fromEntries(proposable.sectors.flatMap((sector) => proposable.classes.map((cls) => [scopeKey(sector, cls), true])));
}

/** The ticked boxes as the API's scope: sectors with at least one class, in the table's order; a box not offered is never sent. */
export function scopeEntries(choice: ScopeChoice, proposable: Proposable): { sector: Sector; classes: ProtectedClass[] }[] {
  return proposable.sectors
    .map((sector) => ({ sector, classes: proposable.classes.filter((cls) => choice[scopeKey(sector, cls)]) }))
    .filter((entry) => entry.classes.length > 0);
}

/** What the letter needs before it is printed: at least one sharing proposed. */
export function proposalProblems(choice: ScopeChoice, proposable: Proposable): Record<string, string> {
  return scopeEntries(choice, proposable).length ? {} : { scope: 'Cochez au moins un partage à proposer à la personne.' };
}

export function consentProblems(form: ConsentForm, proposable: Proposable, today = new Date()): Record<string, string> {
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
  if (form.decision === 'granted' && !scopeEntries(form.scope, proposable).length) problems.scope = 'Cochez au moins un partage, ou enregistrez un refus.';
  return problems;
}

export function consentBody(form: ConsentForm, proposable: Proposable, now = new Date()): EventFields<'RECORD_CONSENT'> {
  const scope = scopeEntries(form.scope, proposable);
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
