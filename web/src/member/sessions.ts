import type { Commission, Session } from '../api/queries';
import { longDate } from '../shared/format';

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

/**
 * Whether the session's dossier can be read now, and if not, why — in the member's words. The
 * server says whether it is open to this account (`dossierOpen`: from the days before the session
 * for the members who accepted the charter, then for its attendees until the record is closed).
 */
export function dossierAvailability(item: MySession): { available: boolean; why?: string } {
  const { session } = item;
  if (session.dossierOpen) return { available: true };
  const step = attendanceStep(item);
  if (session.recordClosed) return { available: false, why: 'Le relevé de décisions est clos : le dossier de la séance n’est plus consultable.' };
  if (step === 'no-charter') return { available: false, why: 'La coordination n’a pas encore publié de charte de confidentialité pour cette cellule.' };
  if (step === 'charter') return { available: false, why: 'Lisez et acceptez d’abord la charte de confidentialité de la cellule.' };
  if (session.status === 'planned') return { available: false, why: `Le dossier s’ouvre le ${longDate(session.dossierOpensAt)} pour préparer la séance.` };
  if (session.status === 'closed')
    return { available: false, why: 'La séance est terminée : son dossier reste réservé aux présents jusqu’à la clôture du relevé.' };
  return { available: false, why: 'Enregistrez d’abord votre présence à la séance.' };
}
