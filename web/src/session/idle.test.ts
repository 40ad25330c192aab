import { describe, expect, it } from 'vitest';
import { idleClock } from './idle';

const S = 1000;

describe('the idle clock', () => {
  it('warns before the end and ends after the idle time without activity', () => {
    const clock = idleClock(900, 120, 0);
    expect(clock.warning(779 * S)).toBe(false);
    expect(clock.warning(780 * S)).toBe(true);
    expect(clock.remaining(780 * S)).toBe(120 * S);
    expect(clock.remaining(900 * S)).toBe(0);
  });

  it('activity pushes the end back, but not once the warning shows: the person answers it', () => {
    const clock = idleClock(900, 120, 0);
    clock.activity(600 * S);
    expect(clock.remaining(1000 * S)).toBe(500 * S);
    clock.activity(1400 * S); // within the warning of the new end (1500 s)
    expect(clock.remaining(1450 * S)).toBe(50 * S);
    clock.reset(1450 * S); // "Rester connecté"
    expect(clock.remaining(1450 * S)).toBe(900 * S);
  });

  it('asks for a keep-alive only when the person was active and the server has not heard for a third of the time', () => {
    const clock = idleClock(900, 120, 0);
    expect(clock.keepAliveDue(400 * S)).toBe(false); // no activity
    clock.activity(100 * S);
    expect(clock.keepAliveDue(299 * S)).toBe(false);
    expect(clock.keepAliveDue(300 * S)).toBe(true);
    clock.serverTouched(300 * S);
    expect(clock.keepAliveDue(700 * S)).toBe(false);
  });

  it('keeps a warning no longer than half the idle time', () => {
    const clock = idleClock(60, 120, 0);
    expect(clock.warning(29 * S)).toBe(false);
    expect(clock.warning(30 * S)).toBe(true);
  });
});
