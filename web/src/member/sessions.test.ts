import { describe, expect, it } from 'vitest';
import type { Commission, Session } from '../api/queries';
import { attendanceStep, bySessionBucket, dossierAvailability, mySessions, type MySession } from './sessions';

const commission = (over: Partial<Commission> = {}): Commission => ({
  id: 'c1',
  territoryId: 't',
  name: 'Cellule',
  charterVersion: 1,
  member: true,
  invited: false,
  acceptedCurrentCharter: true,
  ...over,
});
const session = (over: Partial<Session> = {}): Session => ({
  id: 's1',
  commissionId: 'c1',
  startsAt: '2026-04-14T12:00:00Z',
  endsAt: '2026-04-14T14:00:00Z',
  status: 'planned',
  openedAt: null,
  closedAt: null,
  agendaCount: 2,
  invited: false,
  attendanceRecorded: false,
  dossierOpen: false,
  dossierOpensAt: '2026-04-07T12:00:00Z',
  recordClosed: false,
  ...over,
});
const item = (s: Partial<Session> = {}, c: Partial<Commission> = {}): MySession => ({ session: session(s), commission: commission(c) });

describe('a member’s sessions', () => {
  it('keeps the sessions of their commissions, and of others only those they are invited to', () => {
    const list = mySessions([
      { commission: commission(), sessions: [session({ id: 'a' }), session({ id: 'b' })] },
      { commission: commission({ id: 'c2', member: false, invited: true }), sessions: [session({ id: 'c', invited: true }), session({ id: 'd' })] },
    ]);
    expect(list.map((i) => i.session.id)).toEqual(['a', 'b', 'c']);
  });

  it('sorts them into upcoming, in progress and past', () => {
    const groups = bySessionBucket([
      item({ id: 'late', startsAt: '2026-05-01T12:00:00Z' }),
      item({ id: 'soon', startsAt: '2026-04-01T12:00:00Z' }),
      item({ id: 'now', status: 'open' }),
      item({ id: 'old', status: 'closed', startsAt: '2026-01-01T12:00:00Z' }),
      item({ id: 'older', status: 'closed', startsAt: '2025-12-01T12:00:00Z' }),
    ]);
    expect(groups['a-venir'].map((i) => i.session.id)).toEqual(['soon', 'late']);
    expect(groups['en-cours'].map((i) => i.session.id)).toEqual(['now']);
    expect(groups.passees.map((i) => i.session.id)).toEqual(['old', 'older']);
  });

  it('asks for the charter before attendance, and attendance before the dossier', () => {
    expect(attendanceStep(item({}, { acceptedCurrentCharter: false }))).toBe('charter');
    expect(attendanceStep(item({}, { charterVersion: null, acceptedCurrentCharter: false }))).toBe('no-charter');
    expect(attendanceStep(item())).toBe('attend');
    expect(attendanceStep(item({ attendanceRecorded: true }))).toBe('recorded');
    expect(attendanceStep(item({ status: 'closed', attendanceRecorded: true }))).toBe('closed');

    expect(dossierAvailability(item({ status: 'open' }, { acceptedCurrentCharter: false }))).toEqual({
      available: false,
      why: 'Lisez et acceptez d’abord la charte de confidentialité de la cellule.',
    });
    expect(dossierAvailability(item({ status: 'open' })).why).toBe('Enregistrez d’abord votre présence à la séance.');
    // Before the session: the server opens it some days before (lifecycle.yaml) to prepare it.
    expect(dossierAvailability(item()).why).toBe('Le dossier s’ouvre le 7 avril 2026 pour préparer la séance.');
    expect(dossierAvailability(item({ dossierOpen: true }))).toEqual({ available: true });
    expect(dossierAvailability(item({ status: 'open', attendanceRecorded: true, dossierOpen: true }))).toEqual({ available: true });
    // Held: its attendees keep it until the record is closed.
    expect(dossierAvailability(item({ status: 'closed', attendanceRecorded: true, dossierOpen: true }))).toEqual({ available: true });
    expect(dossierAvailability(item({ status: 'closed' })).why).toMatch(/réservé aux présents/);
    expect(dossierAvailability(item({ status: 'closed', attendanceRecorded: true, recordClosed: true })).why).toMatch(/n’est plus consultable/);
  });
});
