/**
 * The time of the domain: consent expiry, reopening window, follow-up dates, retention, overdue
 * actions, session timing. Services ask the injected clock, never `new Date()` or SQL `now()`, so
 * that tests move time instead of rewriting stored dates. (Tokens and the audit log keep the
 * host's and the database's own time: they record when things really happened.)
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
