/**
 * The idle timeout as the page sees it. The server ends a session after `idleSeconds` without a
 * request (src/auth/web-sessions.ts); the page counts the person's own activity (keys, clicks,
 * touches), warns `warningSeconds` before the end, and keeps the server's clock in step with a
 * light request while someone is active without calling the API (typing a long referral, say).
 */
export interface IdleClock {
  /** Milliseconds left before the session ends for inactivity. */
  remaining(now: number): number;
  /** The warning should show. */
  warning(now: number): boolean;
  /** Whether the server should be told of activity it has not seen (a keep-alive is due). */
  keepAliveDue(now: number): boolean;
  activity(now: number): void;
  /** The person chose to stay: the count starts again, whatever the warning. */
  reset(now: number): void;
  /** The server saw a request at `now` (any API call, or the keep-alive). */
  serverTouched(now: number): void;
}

export function idleClock(idleSeconds: number, warningSeconds: number, start: number): IdleClock {
  const idleMs = idleSeconds * 1000;
  const warningMs = Math.min(warningSeconds * 1000, idleMs / 2);
  let lastActivity = start;
  let lastServerTouch = start;
  return {
    remaining: (now) => Math.max(0, lastActivity + idleMs - now),
    warning: (now) => lastActivity + idleMs - now <= warningMs,
    keepAliveDue: (now) => lastActivity > lastServerTouch && now - lastServerTouch >= idleMs / 3,
    activity(now) {
      // Activity after the warning showed does not count: the person answers the warning itself.
      if (lastActivity + idleMs - now > warningMs) lastActivity = now;
    },
    reset(now) {
      lastActivity = now;
    },
    serverTouched(now) {
      lastServerTouch = now;
    },
  };
}
