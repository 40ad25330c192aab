import { describe, expect, it } from 'vitest';
import { digestTime, emailPreferenceLabels, linkOf, sentenceOf, unreadLabel } from './words';

describe('notification words', () => {
  it('says each kind in French with the reference, a count or a date — nothing else', () => {
    expect(sentenceOf({ kind: 'referral_to_screen', caseReference: 'CAS-2026-0042', agendaSize: null, dueAt: null })).toBe(
      'Nouvelle saisine à examiner : la situation CAS-2026-0042.',
    );
    expect(sentenceOf({ kind: 'session_convocation', caseReference: null, agendaSize: 3, dueAt: '2026-12-10T13:00:00.000Z' })).toBe(
      'Convocation : séance du 10 décembre 2026, 3 situations à l’ordre du jour.',
    );
    expect(sentenceOf({ kind: 'session_convocation', caseReference: null, agendaSize: 1, dueAt: '2026-12-10T13:00:00.000Z' })).toContain('1 situation à');
    expect(sentenceOf({ kind: 'case_on_agenda', caseReference: 'CAS-2026-0001', agendaSize: 2, dueAt: '2026-12-10T13:00:00.000Z' })).toBe(
      'La situation CAS-2026-0001 est inscrite à l’ordre du jour de la séance du 10 décembre 2026.',
    );
    expect(sentenceOf({ kind: 'action_overdue', caseReference: 'CAS-2026-0001', agendaSize: null, dueAt: '2026-12-01T10:00:00.000Z' })).toBe(
      'Une action est en retard depuis le 1er décembre 2026 (la situation CAS-2026-0001).',
    );
    expect(sentenceOf({ kind: 'session_record_closed', caseReference: 'CAS-2026-0007', agendaSize: null, dueAt: null })).toBe(
      'Le relevé de décisions de la séance est clos et consultable (la situation CAS-2026-0007).',
    );
    expect(sentenceOf({ kind: 'session_record_closed', caseReference: null, agendaSize: null, dueAt: null })).toBe(
      'Le relevé de décisions de la séance est clos et consultable.',
    );
  });

  it('leads to the screen of the account’s role', () => {
    const caseId = '11111111-1111-4111-8111-111111111111';
    const sessionId = '22222222-2222-4222-8222-222222222222';
    expect(linkOf({ kind: 'referral_to_screen', caseId, sessionId: null }, ['coordinator'])).toBe(`/coordination/saisines/${caseId}`);
    expect(linkOf({ kind: 'referral_accepted', caseId, sessionId: null }, ['referrer'])).toBe(`/situations/${caseId}`);
    expect(linkOf({ kind: 'session_convocation', caseId: null, sessionId }, ['member'])).toBe(`/seances/${sessionId}`);
    expect(linkOf({ kind: 'session_convocation', caseId: null, sessionId }, ['coordinator'])).toBe(`/coordination/seances/${sessionId}`);
    expect(linkOf({ kind: 'session_record_closed', caseId: null, sessionId }, ['member'])).toBe(`/seances/${sessionId}/releve`);
    expect(linkOf({ kind: 'session_record_closed', caseId, sessionId }, ['referrer'])).toBe(`/seances/${sessionId}/releve`);
    expect(linkOf({ kind: 'action_assigned', caseId, sessionId: null }, ['member'])).toBe(`/situations/${caseId}`);
  });

  it('says the unread count in full', () => {
    expect(unreadLabel(0)).toBe('Notifications, aucune non lue');
    expect(unreadLabel(1)).toBe('Notifications, 1 non lue');
    expect(unreadLabel(4)).toBe('Notifications, 4 non lues');
  });
});

describe('the daily digest on the account page', () => {
  it('says the hour the server sends it, in Paris time', () => {
    expect(digestTime(8, 'Europe/Paris')).toBe('à 8\u00a0h (heure de Paris)');
    expect(emailPreferenceLabels({ digestHour: 18, digestTimeZone: 'Europe/Paris' })).toEqual({
      immediate: 'Un courriel à chaque notification',
      daily_digest: 'Un résumé par jour, à 18\u00a0h (heure de Paris)',
      none: 'Aucun courriel : je consulte les notifications dans l’espace de travail',
    });
  });
});
