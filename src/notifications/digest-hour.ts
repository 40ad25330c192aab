/**
 * When the daily digests go: at a fixed hour of the day, in the time zone of the workspace
 * (Europe/Paris, as the emails say their dates), not "24 hours after the last one" — a
 * coordinator reads them with the morning's mail (NOTIFICATION_DIGEST_HOUR, src/config).
 */
export const DIGEST_TIME_ZONE = 'Europe/Paris';

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: DIGEST_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall-clock fields of `at` in the time zone. */
function wallClock(at: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const p = Object.fromEntries(PARTS.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** How far the time zone is ahead of UTC at `at`, in ms. */
function offsetAt(at: Date): number {
  const w = wallClock(at);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant of `hour`:00 on the given day of the time zone (a day past a month's end rolls over). */
function zoned(year: number, month: number, day: number, hour: number): Date {
  const naive = Date.UTC(year, month - 1, day, hour);
  // Twice: the offset may differ on either side of a change of time (last Sunday of March, of October).
  const first = naive - offsetAt(new Date(naive));
  return new Date(naive - offsetAt(new Date(first)));
}

/** The latest digest hour at or before `now`. */
export function lastDigestHour(now: Date, hour: number): Date {
  const w = wallClock(now);
  const today = zoned(w.year, w.month, w.day, hour);
  return today.getTime() <= now.getTime() ? today : zoned(w.year, w.month, w.day - 1, hour);
}

/** The first digest hour after `now`. */
export function nextDigestHour(now: Date, hour: number): Date {
  const w = wallClock(now);
  const today = zoned(w.year, w.month, w.day, hour);
  return today.getTime() > now.getTime() ? today : zoned(w.year, w.month, w.day + 1, hour);
}
