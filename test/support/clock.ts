import { Clock } from '../../src/common/clock.js';

/** A clock the test moves: it runs with real time, shifted by what the test advanced. */
export class TestClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  advanceDays(days: number): void {
    this.advance(days * 86_400_000);
  }

  /** Back to real time (for tests that share an app: what one test advanced does not leak into the next). */
  reset(): void {
    this.offsetMs = 0;
  }
}
