import { cronOf } from './scheduler.js';

describe('cronOf: a task period as a pg-boss cron schedule (by the minute, UTC)', () => {
  it.each([
    [30_000, '* * * * *'],
    [60_000, '* * * * *'],
    [5 * 60_000, '*/5 * * * *'],
    [3_600_000, '0 * * * *'],
    [6 * 3_600_000, '0 */6 * * *'],
    [86_400_000, '0 0 * * *'],
    [7 * 86_400_000, '0 0 * * *'],
  ])('every %i ms → %s', (everyMs, cron) => {
    expect(cronOf({ everyMs })).toBe(cron);
  });

  it('keeps an explicit cron expression, and refuses a task with neither', () => {
    expect(cronOf({ everyMs: 60_000, cron: '30 2 * * *' })).toBe('30 2 * * *');
    expect(() => cronOf({ everyMs: 0 })).toThrow(/positive period/);
  });
});
