/**
 * Issue 13, item 2 — notifications by email, against a real SMTP server the test starts
 * (smtp-server) and reads: French text with a link to the workspace and no protected value; SMTP
 * down → retried with backoff, then delivered when it is back, and given up after the last attempt
 * (counted for the admin by category); the daily digest at its hour (8:00, Paris) and never empty;
 * no email for who wants none.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { MAX_ATTEMPTS } from '../../src/notifications/delivery.js';
import { newCase, step, type CaseRef } from '../factories/lifecycle.js';
import { call, createWorldApp, HEALTH_TEXT, IDENTITY, SOCIAL_TEXT, type World } from '../factories/world.js';
import { type TestApp } from '../support/app.js';

interface Received {
  to: string[];
  /** The message as sent (headers and body, encoded). */
  raw: string;
  /** Subject and body decoded (quoted-printable, RFC 2047). */
  text: string;
}

/** Decodes what nodemailer encodes in a plain text message: quoted-printable body, encoded-word subject. */
function decode(raw: string): string {
  // Adjacent encoded words are one text: the folding white space between them is not part of it.
  const joined = raw.replace(/\?=\s+=\?UTF-8\?Q\?/gi, '');
  const words = joined.replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_m, q: string) => qp(q.replaceAll('_', ' ')));
  const [head, ...body] = words.split(/\r?\n\r?\n/);
  const text = /quoted-printable/i.test(head) ? qp(body.join('\n\n').replace(/=\r?\n/g, '')) : body.join('\n\n');
  return `${head.replace(/\r?\n\s+/g, ' ')}\n\n${text}`;
}
function qp(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

const PUBLIC = 'https://cellule.example.org';
const SECRETS = [...Object.values(IDENTITY), SOCIAL_TEXT, HEALTH_TEXT, 'rupture de soins', 'expulsion'];

describe('notifications by email', () => {
  let t: TestApp;
  let w: World;
  let smtp: SMTPServer | null = null;
  let port = 0;
  const received: Received[] = [];

  const startSmtp = () =>
    new Promise<void>((resolve, reject) => {
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, text: decode(raw) });
            callback();
          });
        },
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.server.address() as AddressInfo).port;
        smtp = server;
        resolve();
      });
    });
  const stopSmtp = () => new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve())).then(() => void (smtp = null));

  beforeAll(async () => {
    await startSmtp();
    ({ t, w } = await createWorldApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, CELLULE_PUBLIC_URL: PUBLIC, CELLULE_OPERATOR_NAME: 'CLSM Test' }));
  });
  afterAll(async () => {
    await t?.close();
    await stopSmtp();
  });

  const deliver = () => t.scheduler.runOnce('notification-delivery');
  const submitted = async (): Promise<CaseRef> => {
    const c = await newCase(t, w);
    await step(t, w.referrer.token, c, 'SUBMIT');
    return c;
  };
  const failures = async () => (await call(t, w.admin.token, 'get', '/notifications/deliveries')) as { mailEnabled: boolean; items: unknown[] };

  it('sends each notification at once by default: French, a link to the workspace, no protected value; once', async () => {
    expect(t.logs.filter((l) => l.includes('Mail is off'))).toEqual([]);
    const c = await submitted();
    expect(await deliver()).toBe(1);
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail.to).toEqual([w.coordinator.email]);
    expect(mail.text).toContain(`Subject: [CLSM Test] Nouvelle saisine à examiner : la situation ${c.reference}`);
    expect(mail.text).toContain(`Ouvrir : ${PUBLIC}/app/coordination/saisines/${c.id}`);
    expect(mail.text).toContain('Ce message ne contient aucune information sur la personne');
    expect(SECRETS.filter((s) => (mail.raw + mail.text).toLowerCase().includes(s.toLowerCase()))).toEqual([]);
    // Sent: never again.
    expect(await deliver()).toBe(0);
    expect(received).toHaveLength(1);
    const [row] = (await t.db.dataSource.query(`SELECT email_status, email_attempts, email_sent_at FROM notifications WHERE case_id = $1`, [c.id])) as {
      email_status: string;
      email_attempts: number;
    }[];
    expect(row).toMatchObject({ email_status: 'sent', email_attempts: 1 });
  });

  it('SMTP down: the failure is kept by category and shown to the admin, retried with backoff, and delivered once SMTP is back', async () => {
    await stopSmtp();
    const c = await submitted();
    expect(await deliver()).toBe(0);
    expect(await failures()).toEqual({ mailEnabled: true, items: [{ status: 'retrying', error: 'connection', count: 1 }] });
    // Not due again before its next attempt (1 minute): no attempt counted.
    expect(await deliver()).toBe(0);
    const attempts = async () =>
      ((await t.db.dataSource.query(`SELECT email_attempts AS n FROM notifications WHERE case_id = $1`, [c.id])) as { n: number }[])[0].n;
    expect(await attempts()).toBe(1);
    t.clock.advance(61_000);
    expect(await deliver()).toBe(0);
    expect(await attempts()).toBe(2);
    await startSmtp();
    // The second failure waits 2 minutes.
    t.clock.advance(61_000);
    expect(await deliver()).toBe(0);
    t.clock.advance(61_000);
    expect(await deliver()).toBe(1);
    expect(received.at(-1)?.text).toContain(c.reference);
    expect(await failures()).toEqual({ mailEnabled: true, items: [] });
  });

  it('gives up after the last attempt, and the admin sees it as failed', async () => {
    await stopSmtp();
    const c = await submitted();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      expect(await deliver()).toBe(0);
      t.clock.advance(7 * 3600_000);
    }
    expect(await failures()).toEqual({ mailEnabled: true, items: [{ status: 'failed', error: 'connection', count: 1 }] });
    await startSmtp();
    const before = received.length;
    expect(await deliver()).toBe(0);
    expect(received).toHaveLength(before);
    const [row] = (await t.db.dataSource.query(`SELECT email_status FROM notifications WHERE case_id = $1`, [c.id])) as { email_status: string }[];
    expect(row.email_status).toBe('failed');
  });

  /** Moves the test clock forward to the next hh:mm of Paris's wall clock (read with Intl, independently of the server's rule). */
  const parisTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
  const paris = () => parisTime.format(t.clock.now());
  const forwardTo = (hh: number, mm: number) => {
    const [h, m] = paris().split(':').map(Number);
    const minutes = (((hh * 60 + mm - (h * 60 + m)) % 1440) + 1440) % 1440 || 1440;
    t.clock.advance(minutes * 60_000 - (t.clock.now().getTime() % 60_000));
    // A change of time on the way (an hour gained or lost): corrected by what the wall clock says.
    const [h2, m2] = paris().split(':').map(Number);
    const off = ((((h2 * 60 + m2 - (hh * 60 + mm)) % 1440) + 2160) % 1440) - 720;
    t.clock.advance(-off * 60_000);
    expect(paris()).toBe(`${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`);
  };

  it('the daily digest goes at the digest hour (8:00, Paris), one email with what came since the last', async () => {
    await call(t, w.coordinator.token, 'put', '/me/notification-preferences', { email: 'daily_digest' }, 200);
    const before = received.length;
    forwardTo(7, 58);
    const a = await submitted();
    const b = await submitted();
    // Before the hour: nothing, however the job runs.
    expect(await deliver()).toBe(0);
    forwardTo(7, 59);
    expect(await deliver()).toBe(0);
    expect(received).toHaveLength(before);
    // The server was down at 8:00: the digest goes at the first run after the hour.
    forwardTo(9, 30);
    expect(await deliver()).toBe(2);
    expect(received).toHaveLength(before + 1);
    const digest = received.at(-1)!;
    expect(digest.to).toEqual([w.coordinator.email]);
    expect(digest.text).toContain('Subject: [CLSM Test] Votre résumé du jour : 2 notifications');
    expect(digest.text).toContain(`${PUBLIC}/app/coordination/saisines/${a.id}`);
    expect(digest.text).toContain(`${PUBLIC}/app/coordination/saisines/${b.id}`);
    // What comes after it waits for tomorrow's 8:00 — not for 24 hours after this one (9:30).
    const c = await submitted();
    expect(await deliver()).toBe(0);
    forwardTo(20, 0);
    expect(await deliver()).toBe(0);
    forwardTo(7, 59);
    expect(await deliver()).toBe(0);
    expect(received).toHaveLength(before + 1);
    forwardTo(8, 0);
    expect(await deliver()).toBe(1);
    expect(received).toHaveLength(before + 2);
    expect(received.at(-1)!.text).toContain('Votre résumé du jour : 1 notification');
    expect(received.at(-1)!.text).toContain(c.reference);
    expect(await deliver()).toBe(0);
    // A day without news: no empty email at the next 8:00.
    forwardTo(8, 1);
    expect(await deliver()).toBe(0);
    expect(received).toHaveLength(before + 2);
    // News in the afternoon: the next morning.
    forwardTo(15, 0);
    const d = await submitted();
    expect(await deliver()).toBe(0);
    forwardTo(8, 0);
    expect(await deliver()).toBe(1);
    expect(received).toHaveLength(before + 3);
    expect(received.at(-1)!.text).toContain(d.reference);
    expect(SECRETS.filter((s) => received.some((m) => (m.raw + m.text).toLowerCase().includes(s.toLowerCase())))).toEqual([]);
  });

  it('no email for who wants none, nor for a notification already read in the workspace', async () => {
    await call(t, w.coordinator.token, 'put', '/me/notification-preferences', { email: 'none' }, 200);
    const before = received.length;
    await submitted();
    expect(await deliver()).toBe(0);
    await call(t, w.coordinator.token, 'put', '/me/notification-preferences', { email: 'immediate' }, 200);
    const c = await submitted();
    const [mine] = (await call(t, w.coordinator.token, 'get', '/me/notifications?limit=1')).items as { id: string; caseId: string }[];
    expect(mine.caseId).toBe(c.id);
    await call(t, w.coordinator.token, 'post', `/me/notifications/${mine.id}/read`, undefined, 200);
    expect(await deliver()).toBe(0);
    expect(received).toHaveLength(before);
  });
});
