import type { Schemas } from '../api/client';
import { PROFESSION_LABEL, STATE_LABEL } from '../shared/labels';

/** The register's codes in the words of a register of processing. */

const FIELD_LABEL: Record<string, string> = {
  lastName: 'nom',
  firstName: 'prénom',
  birthDate: 'date de naissance',
  address: 'adresse',
  phone: 'téléphone',
  email: 'adresse électronique',
};

/** « 730 jours (environ 2 ans) », « 180 jours (environ 6 mois) » */
export function daysInWords(days: number): string {
  const years = days / 365;
  if (days >= 365 && Math.abs(years - Math.round(years)) < 0.05) {
    const n = Math.round(years);
    return `${days} jours (environ ${n} an${n > 1 ? 's' : ''})`;
  }
  const months = Math.round(days / 30.4);
  return months >= 1 ? `${days} jours (environ ${months} mois)` : `${days} jour${days > 1 ? 's' : ''}`;
}

export function statesInWords(states: Schemas['DataFlowDto']['states']): string {
  if (states === 'all') return 'À toutes les étapes';
  return states.map((s) => STATE_LABEL[s as Schemas['CaseState']] ?? s).join(', ');
}

export function conditionInWords(condition: Schemas['DataFlowDto']['condition']): string {
  return condition === 'always'
    ? 'Toujours, tant que le lien existe'
    : 'Seulement avec un consentement valable de la personne qui nomme le secteur du destinataire';
}

export function fieldsInWords(fields: Schemas['DataFlowDto']['fields'], cls: Schemas['DataClass']): string {
  if (fields === 'all') return cls === 'identity' ? 'Tous les éléments d’identité' : 'Tout';
  const text = fields.map((f) => FIELD_LABEL[f] ?? f).join(', ');
  return text ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : 'Aucun';
}

export function professionsInWords(professions: string[] | null): string {
  if (!professions) return 'Toutes';
  return professions.map((p) => PROFESSION_LABEL[p as Schemas['Profession']]?.label ?? p).join(', ');
}
