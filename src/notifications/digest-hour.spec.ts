import { lastDigestHour, nextDigestHour } from './digest-hour.js';

describe('the digest hour (Europe/Paris)', () => {
  it('is 8:00 in Paris: 7:00 UTC in winter, 6:00 UTC in summer', () => {
    expect(lastDigestHour(new Date('2026-12-02T07:00:00Z'), 8).toISOString()).toBe('2026-12-02T07:00:00.000Z');
    expect(lastDigestHour(new Date('2026-12-02T06:59:59Z'), 8).toISOString()).toBe('2026-12-01T07:00:00.000Z');
    expect(nextDigestHour(new Date('2026-12-02T06:59:59Z'), 8).toISOString()).toBe('2026-12-02T07:00:00.000Z');
    expect(nextDigestHour(new Date('2026-12-02T07:00:00Z'), 8).toISOString()).toBe('2026-12-03T07:00:00.000Z');
    expect(lastDigestHour(new Date('2026-07-14T12:00:00Z'), 8).toISOString()).toBe('2026-07-14T06:00:00.000Z');
  });

  it('crosses a month’s end and the changes of time', () => {
    expect(nextDigestHour(new Date('2026-12-31T20:00:00Z'), 8).toISOString()).toBe('2027-01-01T07:00:00.000Z');
    // Summer time begins on 29 March 2026 at 2:00 (a 23-hour day), ends on 25 October (25 hours).
    expect(nextDigestHour(new Date('2026-03-28T12:00:00Z'), 8).toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(lastDigestHour(new Date('2026-03-29T05:30:00Z'), 8).toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(nextDigestHour(new Date('2026-10-24T12:00:00Z'), 8).toISOString()).toBe('2026-10-25T07:00:00.000Z');
    expect(nextDigestHour(new Date('2026-10-24T12:00:00Z'), 0).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(nextDigestHour(new Date('2026-10-25T12:00:00Z'), 0).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });
});

describe('NOTIFICATION_DIGEST_HOUR', () => {
  it('defaults to 8, takes an hour 0–23, and refuses anything else naming the setting', async () => {
    const { loadConfig } = await import('../config/config.js');
    expect(loadConfig({ NODE_ENV: 'test' }).mail.digestHour).toBe(8);
    expect(loadConfig({ NODE_ENV: 'test', NOTIFICATION_DIGEST_HOUR: '0' }).mail.digestHour).toBe(0);
    expect(loadConfig({ NODE_ENV: 'test', NOTIFICATION_DIGEST_HOUR: '23' }).mail.digestHour).toBe(23);
    for (const wrong of ['24', '-1', '7.5', 'huit']) {
      expect(() => loadConfig({ NODE_ENV: 'test', NOTIFICATION_DIGEST_HOUR: wrong })).toThrow(/NOTIFICATION_DIGEST_HOUR must be an integer between 0 and 23/);
    }
  });
});
