/**
 * A situation's consent as a record following the fields of ISO/IEC TS 27560:2023 (Privacy
 * technologies — Consent record information structure), named as the DPV guide to that
 * specification names them (w3id.org/dpv/guides/consent-27560): the record, the notice given, the
 * processing consented to, the parties, the consent's state and its events. Nothing of the person
 * is in it: the PII principal is the situation's reference, data categories are classes,
 * recipients are sectors.
 */
import type { Policy, ProtectedClass, Sector } from '../access/policy.types.js';
import { consentValidAt, standingOf } from './consent.js';
import type { ConsentRow } from './consents.repository.js';

export const CONSENT_RECORD_SCHEMA = 'ISO/IEC TS 27560:2023';

export type ConsentState = 'given' | 'refused' | 'withdrawn' | 'expired';

export interface ConsentRecord {
  schema_version: string;
  record_id: string;
  pii_principal_id: string;
  record_created_at: string;
  last_updated_at: string;
  notice: { notice_id: string; notice_language: string; presented_at: string; presented_by: 'pii_controller' };
  pii_controllers: { name: string; address: string; dpo_contact: string }[];
  purposes: { purpose_id: string; purpose: string; lawful_basis: string[] }[];
  data_categories: ProtectedClass[];
  recipients: { sector: Sector; data_categories: ProtectedClass[] }[];
  collection_method: string;
  consent_state: ConsentState;
  consent_expiry: string | null;
  withdrawal_method: string;
  events: { event_type: 'consent_given' | 'consent_refused' | 'consent_withdrawn' | 'consent_expired'; event_time: string; event_by: string }[];
}

const iso = (d: Date) => d.toISOString();

/** The state of a recorded consent at `at`: given (granted and valid), refused, withdrawn, or expired. */
export function consentStateOf(consent: Pick<ConsentRow, 'decision' | 'withdrawnAt' | 'expiresAt'>, at: Date): ConsentState {
  const standing = standingOf(consent);
  if (standing.status === 'withdrawn') return 'withdrawn';
  if (standing.status === 'refused') return 'refused';
  return consentValidAt(standing, at) ? 'given' : 'expired';
}

export function consentRecordOf(policy: Policy, consent: ConsentRow & { id: string }, reference: string, at: Date): ConsentRecord {
  const state = consentStateOf(consent, at);
  const expired = state === 'expired';
  const by = consent.method === 'representative' ? 'pii_principal_representative' : 'pii_principal';
  const events: ConsentRecord['events'] = [
    { event_type: consent.decision === 'granted' ? 'consent_given' : 'consent_refused', event_time: iso(consent.informedAt), event_by: by },
  ];
  if (consent.withdrawnAt) events.push({ event_type: 'consent_withdrawn', event_time: iso(consent.withdrawnAt), event_by: 'pii_principal' });
  else if (expired && consent.expiresAt) events.push({ event_type: 'consent_expired', event_time: iso(consent.expiresAt), event_by: 'pii_controller' });
  const basis = policy.legalBases.consent_sharing;
  return {
    schema_version: CONSENT_RECORD_SCHEMA,
    record_id: consent.id,
    pii_principal_id: reference,
    record_created_at: iso(consent.recordedAt),
    last_updated_at: iso(consent.withdrawnAt ?? consent.recordedAt),
    notice: { notice_id: 'cellule-information-letter', notice_language: 'fr', presented_at: iso(consent.informedAt), presented_by: 'pii_controller' },
    pii_controllers: [{ name: policy.controller.name, address: policy.controller.address, dpo_contact: policy.dpo.contact }],
    purposes: [{ purpose_id: 'consent_sharing', purpose: basis.purpose, lawful_basis: [basis.article6, basis.article9, basis.french] }],
    data_categories: [...new Set(consent.scope.flatMap((s) => s.classes))],
    recipients: consent.scope.map((s) => ({ sector: s.sector, data_categories: [...s.classes] })),
    collection_method: consent.method,
    consent_state: state,
    consent_expiry: consent.expiresAt ? iso(consent.expiresAt) : null,
    withdrawal_method: "Tell the referrer, their service or the cellule's coordination, at any time: every release stops at once (WITHDRAW_CONSENT)",
    events,
  };
}
