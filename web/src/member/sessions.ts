import type { Commission, Session } from '../api/queries';

/**
 * A member's sessions: those of the commissions they sit on, and those they are invited to for
 * one situation; as tabs (upcoming, in progress, past); and, for one session, the step they are
 * at — the charter first, then attendance, then the dossier while the session is open.
 */
export interface MySession {
  session: Session;
  commission: Commission;
}

export type SessionBucket = 'a-venir' | 'en-cours' | 'passees';

export const SESSION_BUCKETS: { key: SessionBucket; label: string; empty: string }[] = [
  { key: 'en-cours', label: 'En cours', empty: 'Aucune séance n’est ouverte en ce moment.' },
  { key: 'a-venir', label: 'À venir', empty: 'Aucune séance n’est prévue pour le moment.' },
  { key: 'passees', label: 'Passées', empty: 'Aucune séance passée.' },
];

export function mySessions(groups: { commission: Commission; sessions: Session[] }[]): MySession[] {
  return groups.flatMap(({ commission, sessions }) =>
    sessions.filter((session) => commission.member || session.invited).map((session) => ({ session, commission })),
  );
}

export function bySessionBucket(list: MySession[]): Record<SessionBucket, MySession[]> {
  const groups: Record<SessionBucket, MySession[]> = { 'a-venir': [], 'en-cours': [], passees: [] };
  for (const item of list) groups[{ planned: 'a-venir', open: 'en-cours', closed: 'passees' }[item.session.status] as SessionBucket].push(item);
  const soonest = (a: MySession, b: MySession) => a.session.startsAt.localeCompare(b.session.startsAt);
  groups['a-venir'].sort(soonest);
  groups['en-cours'].sort(soonest);
  groups.passees.sort((a, b) => -soonest(a, b));
  return groups;
}

/**
 * Where the member stands for a session:
 * - `no-charter`: the coordination has published no charter yet (nobody can attend);
 * - `charter`: the current charter version is to be read and accepted first;
 * - `attend`: presence can be recorded;
 * - `recorded`: presence recorded (under the current charter);
 * - `closed`: the session is over.
 */
export type AttendanceStep = 'no-charter' | 'charter' | 'attend' | 'recorded' | 'closed';

export function attendanceStep({ session, commission }: MySession): AttendanceStep {
  if (session.status === 'closed') return 'closed';
  if (commission.charterVersion === null) return 'no-charter';
  if (!commission.acceptedCurrentCharter) return 'charter';
  return session.attendanceRecorded ? 'recorded' : 'attend';
}

/** Whether the session's dossier can be read now, and if not, why — in the member's words. */
export function dossierAvailability(item: MySession): { available: boolean; why?: string } {
  const step = attendanceStep(item);
  if (item.session.status === 'closed') return { available: false, why: 'La séance est terminée : son dossier n’est plus consultable.' };
  if (step === 'no-charter') return { available: false, why: 'La coordination n’a pas encore publié de charte de confidentialité pour cette cellule.' };
  if (step === 'charter') return { available: false, why: 'Lisez et acceptez d’abord la charte de confidentialité de la cellule.' };
  if (step === 'attend') return { available: false, why: 'Enregistrez d’abord votre présence à la séance.' };
  if (item.session.status === 'planned') return { available: false, why: 'Le dossier s’ouvre aux membres présents quand la coordination ouvre la séance.' };
  return { available: true };
}
