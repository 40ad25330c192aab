import { loadPolicy } from '../access/policy.loader.js';
import { consentRecordOf } from './consent-record.js';
import type { ConsentRow } from './consents.repository.js';

const policy = loadPolicy('policies');
const row = (overrides: Partial<ConsentRow> = {}): ConsentRow & { id: string } => ({
  id: '0b5e2f4c-94a1-4d1e-8f55-0e4ab2b7c001',
  decision: 'granted',
  method: 'written',
  informedAt: new Date('2026-03-14T10:00:00Z'),
  scope: [{ sector: 'social', classes: ['social'] }],
  expiresAt: new Date('2027-03-14T10:00:00Z'),
  recordedAt: new Date('2026-03-14T10:05:00Z'),
  withdrawnAt: null,
  withdrawnByUserId: null,
  withdrawalMethod: null,
  representativeMeasure: null,
  representativeOrganisation: null,
  ...overrides,
});

describe('the ISO/IEC TS 27560 consent record', () => {
  it('names the representative as the party who expressed a consent given for the person, and its withdrawal', () => {
    const record = consentRecordOf(
      policy,
      row({ method: 'representative', representativeMeasure: 'curatelle', representativeOrganisation: 'UDAF', withdrawnAt: new Date('2026-05-01T08:00:00Z') }),
      'CAS-2026-0042',
      new Date('2026-06-01T00:00:00Z'),
    );
    expect(record.parties.find((p) => p.party_id === 'representative')).toMatchObject({ party_name: 'UDAF', party_role: 'pii_principal_representative' });
    expect(record.events.map((e) => [e.event_state, e.entity_id])).toEqual([
      ['given', 'representative'],
      ['withdrawn', 'representative'],
    ]);
    expect(record.events[0].validity_duration).toBe('2026-03-14T10:00:00.000Z/2027-03-14T10:00:00.000Z');
  });

  it('records the expiry as the controller’s event, and a refusal without processing or duration', () => {
    const expired = consentRecordOf(policy, row(), 'CAS-2026-0042', new Date('2027-04-01T00:00:00Z'));
    expect(expired.events.map((e) => [e.event_state, e.entity_id, e.event_time])).toEqual([
      ['given', 'CAS-2026-0042', '2026-03-14T10:00:00.000Z'],
      ['expired', 'controller', '2027-03-14T10:00:00.000Z'],
    ]);
    const refused = consentRecordOf(policy, row({ decision: 'refused', scope: [], expiresAt: null }), 'CAS-2026-0042', new Date('2026-04-01T00:00:00Z'));
    expect(refused.processing).toEqual([]);
    expect(refused.events).toEqual([
      { event_time: '2026-03-14T10:00:00.000Z', validity_duration: null, entity_id: 'CAS-2026-0042', event_type: 'explicit', event_state: 'refused' },
    ]);
  });
});
