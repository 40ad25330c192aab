/**
 * Issue 13, items 1 and 2 — notifications by email, each email one pg-boss job (its workers
 * started here, the queue's retries shortened to seconds), against a real SMTP server the test
 * starts (smtp-server) and reads: French text with a link to the workspace and no protected value;
 * SMTP down → retried by the queue with backoff, then delivered when it is back, and given up after
 * the last retry (counted for the admin by category); two application instances on one database →
 * every email once; the daily digest at its hour (8:00, Paris) and never empty; no email for who
 * wants none; no protected value in the queue's tables.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { newCase, step, type CaseRef } from '../factories/lifecycle.js';
import { call, createWorldApp, HEALTH_TEXT, IDENTITY, SOCIAL_TEXT, type World } from '../factories/world.js';
import { createTestApp, type TestApp } from '../support/app.js';

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

/** Polls `read` until `done` holds (a generous upper bound, never a timed expectation). */
async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, what: string, boundMs = 120_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The queue's retries, in seconds here (1–2 s, 2–4 s, 4–8 s) instead of minutes. */
const RETRY = { NOTIFICATION_RETRY_LIMIT: '3', NOTIFICATION_RETRY_DELAY_SECONDS: '1' };

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
  const env = () => ({ SMTP_URL: `smtp://127.0.0.1:${port}`, CELLULE_PUBLIC_URL: PUBLIC, CELLULE_OPERATOR_NAME: 'CLSM Test', ...RETRY });

  beforeAll(async () => {
    await startSmtp();
    ({ t, w } = await createWorldApp(env()));
    // The queue's workers run (the cron rounds too: they read the test's clock, as runOnce does).
    await t.scheduler.start();
  });
  afterAll(async () => {
    await t?.close();
    await stopSmtp();
  });

  const digestRound = () => t.scheduler.runOnce('notification-digest');
  const submitted = async (): Promise<CaseRef> => {
    const c = await newCase(t, w);
    await step(t, w.referrer.token, c, 'SUBMIT');
    return c;
  };
  const failures = async () => (await call(t, w.admin.token, 'get', '/notifications/deliveries')) as { mailEnabled: boolean; items: unknown[] };
  const emailOf = async (caseId: string) =>
    (
      (await t.db.dataSource.query(`SELECT email_status AS status, email_attempts AS attempts, email_error AS error FROM notifications WHERE case_id = $1`, [
        caseId,
      ])) as { status: string; attempts: number; error: string | null }[]
    )[0];
  /** Every email job has ended (none waiting, being retried or running): nothing more will be sent for what is queued now. */
  const settled = (app: TestApp = t) =>
    until(
      async () =>
        (
          (await app.db.dataSource.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'notification-email' AND state < 'completed'`)) as {
            n: number;
          }[]
        )[0].n,
      (n) => n === 0,
      'the email jobs to end',
    );
  const mailsTo = (address: string) => received.filter((m) => m.to.includes(address));

  it('sends each notification at once, as one job enqueued with it: French, a link to the workspace, no protected value; once', async () => {
    expect(t.logs.filter((l) => l.includes('Mail is off'))).toEqual([]);
    const c = await submitted();
    // The job was enqueued in the transaction of the submission: it carries the notification's id, nothing else.
    const [job] = (await t.db.dataSource.query(
      `SELECT j.data, j.retry_limit AS "retryLimit", j.retry_backoff AS "retryBackoff" FROM pgboss.job j JOIN notifications n ON j.data->'notificationIds' ? n.id::text
        WHERE j.name = 'notification-email' AND n.case_id = $1`,
      [c.id],
    )) as { data: { notificationIds: string[]; digest: boolean }; retryLimit: number; retryBackoff: boolean }[];
    expect(job).toMatchObject({ data: { notificationIds: [expect.any(String)], digest: false }, retryLimit: 3, retryBackoff: true });
    await until(
      () => received.length,
      (n) => n >= 1,
      'the email',
    );
    await settled();
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail.to).toEqual([w.coordinator.email]);
    expect(mail.text).toContain(`Subject: [CLSM Test] Nouvelle saisine à examiner : la situation ${c.reference}`);
    expect(mail.text).toContain(`Ouvrir : ${PUBLIC}/app/coordination/saisines/${c.id}`);
    expect(mail.text).toContain('Ce message ne contient aucune information sur la personne');
    expect(SECRETS.filter((s) => (mail.raw + mail.text).toLowerCase().includes(s.toLowerCase()))).toEqual([]);
    expect(await emailOf(c.id)).toEqual({ status: 'sent', attempts: 1, error: null });
    // Sent: a round finds nothing more to send.
    expect(await digestRound()).toBe(0);
    await settled();
    expect(received).toHaveLength(1);
  });

  it('SMTP down: the failure is kept by category and shown to the admin, the queue retries with backoff, and it is delivered once SMTP is back', async () => {
    await stopSmtp();
    const before = received.length;
    const c = await submitted();
    // Two attempts failed (the first and one retry): the admin sees it as being retried.
    await until(
      () => emailOf(c.id),
      (e) => e.attempts >= 2,
      'two failed attempts',
    );
    expect(await emailOf(c.id)).toEqual({ status: 'queued', attempts: 2, error: 'connection' });
    expect(await failures()).toEqual({ mailEnabled: true, items: [{ status: 'retrying', error: 'connection', count: 1 }] });
    await startSmtp();
    // The next retry (2 to 4 s after the second failure) finds it back.
    await until(
      () => emailOf(c.id),
      (e) => e.status === 'sent',
      'the email delivered',
    );
    await settled();
    expect(received.slice(before).map((m) => m.to)).toEqual([[w.coordinator.email]]);
    expect(received.at(-1)?.text).toContain(c.reference);
    expect(await emailOf(c.id)).toEqual({ status: 'sent', attempts: 3, error: null });
    expect(await failures()).toEqual({ mailEnabled: true, items: [] });
    // pg-boss's view of the same: one job, completed after two retries.
    const jobs = await t.db.dataSource.query(
      `SELECT j.state::text AS state, j.retry_count AS "retryCount" FROM pgboss.job j JOIN notifications n ON j.data->'notificationIds' ? n.id::text
        WHERE j.name = 'notification-email' AND n.case_id = $1`,
      [c.id],
    );
    expect(jobs).toEqual([{ state: 'completed', retryCount: 2 }]);
  });

  it('gives up after the last retry, and the admin sees it as failed', async () => {
    await stopSmtp();
    const c = await submitted();
    await until(
      () => emailOf(c.id),
      (e) => e.status === 'failed',
      'the email given up',
    );
    await settled();
    expect(await emailOf(c.id)).toEqual({ status: 'failed', attempts: 4, error: 'connection' });
    expect(await failures()).toEqual({ mailEnabled: true, items: [{ status: 'failed', error: 'connection', count: 1 }] });
    const [job] = await t.db.dataSource.query(
      `SELECT j.state::text AS state, j.retry_count AS "retryCount" FROM pgboss.job j JOIN notifications n ON j.data->'notificationIds' ? n.id::text
        WHERE j.name = 'notification-email' AND n.case_id = $1`,
      [c.id],
    );
    expect(job).toEqual({ state: 'failed', retryCount: 3 });
    expect(t.logs.some((l) => l.includes('email given up'))).toBe(true);
    // SMTP back: a given-up email is not sent again by a round.
    await startSmtp();
    const before = received.length;
    expect(await digestRound()).toBe(0);
    await settled();
    expect(received).toHaveLength(before);
    expect((await emailOf(c.id)).status).toBe('failed');
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
  const waiting = async (...cases: CaseRef[]) => {
    for (const c of cases) expect({ case: c.reference, ...(await emailOf(c.id)) }).toEqual({ case: c.reference, status: 'pending', attempts: 0, error: null });
  };

  it('the daily digest goes at the digest hour (8:00, Paris): one job, one email with what came since the last', async () => {
    await call(t, w.coordinator.token, 'put', '/me/notification-preferences', { email: 'daily_digest' }, 200);
    const before = received.length;
    forwardTo(7, 58);
    const a = await submitted();
    const b = await submitted();
    // Before the hour: nothing is queued, however often the round runs.
    expect(await digestRound()).toBe(0);
    forwardTo(7, 59);
    expect(await digestRound()).toBe(0);
    await waiting(a, b);
    // The server was down at 8:00: the digest goes at the first round after the hour.
    forwardTo(9, 30);
    await digestRound();
    await until(
      () => received.length,
      (n) => n >= before + 1,
      'the digest',
    );
    await settled();
    expect(received).toHaveLength(before + 1);
    const digest = received.at(-1)!;
    expect(digest.to).toEqual([w.coordinator.email]);
    expect(digest.text).toContain('Subject: [CLSM Test] Votre résumé du jour : 2 notifications');
    expect(digest.text).toContain(`${PUBLIC}/app/coordination/saisines/${a.id}`);
    expect(digest.text).toContain(`${PUBLIC}/app/coordination/saisines/${b.id}`);
    const [{ jobs }] = await t.db.dataSource.query(
      `SELECT count(*)::int AS jobs FROM pgboss.job WHERE name = 'notification-email' AND data->'notificationIds' ? $1 AND data->'notificationIds' ? $2 AND (data->>'digest')::boolean`,
      [
        ((await t.db.dataSource.query(`SELECT id FROM notifications WHERE case_id = $1`, [a.id])) as { id: string }[])[0].id,
        ((await t.db.dataSource.query(`SELECT id FROM notifications WHERE case_id = $1`, [b.id])) as { id: string }[])[0].id,
      ],
    );
    expect(jobs).toBe(1);
    // What comes after it waits for tomorrow's 8:00 — not for 24 hours after this one (9:30).
    const c = await submitted();
    expect(await digestRound()).toBe(0);
    forwardTo(20, 0);
    expect(await digestRound()).toBe(0);
    forwardTo(7, 59);
    expect(await digestRound()).toBe(0);
    await waiting(c);
    forwardTo(8, 0);
    expect(await digestRound()).toBe(1);
    await until(
      () => received.length,
      (n) => n >= before + 2,
      'the second digest',
    );
    await settled();
    expect(received).toHaveLength(before + 2);
    expect(received.at(-1)!.text).toContain('Votre résumé du jour : 1 notification');
    expect(received.at(-1)!.text).toContain(c.reference);
    expect(await digestRound()).toBe(0);
    // A day without news: no empty email at the next 8:00.
    forwardTo(8, 1);
    expect(await digestRound()).toBe(0);
    // News in the afternoon: the next morning.
    forwardTo(15, 0);
    const d = await submitted();
    expect(await digestRound()).toBe(0);
    await waiting(d);
    forwardTo(8, 0);
    expect(await digestRound()).toBe(1);
    await until(
      () => received.length,
      (n) => n >= before + 3,
      'the third digest',
    );
    await settled();
    expect(received).toHaveLength(before + 3);
    expect(received.at(-1)!.text).toContain(d.reference);
    expect(SECRETS.filter((s) => received.some((m) => (m.raw + m.text).toLowerCase().includes(s.toLowerCase())))).toEqual([]);
  });

  it('no email for who wants none, nor for a notification already read in the workspace; what waited for a digest goes at once when the user asks for that', async () => {
    await call(t, w.coordinator.token, 'put', '/me/notification-preferences', { email: 'none' }, 200);
    const before = received.length;
    const none = await submitted();
    expect(await emailOf(none.id)).toMatchObject({ status: 'skipped' });
    // Read in the workspace before its job runs: the job sends nothing (SMTP down meanwhile, so that the job waits).
    await stopSmtp();
    await call(t, w.coordinator.token, 'put', '/me/notification-preferences', { email: 'immediate' }, 200);
    const read = await submitted();
    await until(
      () => emailOf(read.id),
      (e) => e.attempts >= 1,
      'a first failed attempt',
    );
    const [mine] = (await call(t, w.coordinator.token, 'get', '/me/notifications?limit=1')).items as { id: string; caseId: string }[];
    expect(mine.caseId).toBe(read.id);
    await call(t, w.coordinator.token, 'post', `/me/notifications/${mine.id}/read`, undefined, 204);
    await startSmtp();
    await until(
      () => emailOf(read.id),
      (e) => e.status === 'skipped',
      'the read notification skipped',
    );
    // One that waited for a digest: queued by the next round once the user wants each at once.
    await call(t, w.coordinator.token, 'put', '/me/notification-preferences', { email: 'daily_digest' }, 200);
    const kept = await submitted();
    await waiting(kept);
    await call(t, w.coordinator.token, 'put', '/me/notification-preferences', { email: 'immediate' }, 200);
    await digestRound();
    await until(
      () => emailOf(kept.id),
      (e) => e.status === 'sent',
      'the waiting one sent',
    );
    await settled();
    expect(received.slice(before).map((m) => m.text.includes(kept.reference))).toEqual([true]);
  });

  it('an email whose job is gone (a database restored without the queue) is queued again; one whose job failed otherwise is shown as failed', async () => {
    const before = received.length;
    const lost = await submitted();
    await until(
      () => emailOf(lost.id),
      (e) => e.status === 'sent',
      'the email sent',
    );
    await settled();
    // As after a restore: the notification still queued, its job not in the queue's tables.
    await t.db.dataSource.query(`UPDATE notifications SET email_status = 'queued', email_sent_at = NULL, email_attempts = 0 WHERE case_id = $1`, [lost.id]);
    await t.db.dataSource.query(`DELETE FROM pgboss.job WHERE name = 'notification-email'`);
    await digestRound();
    await until(
      () => emailOf(lost.id),
      (e) => e.status === 'sent',
      'the email sent again',
    );
    await settled();
    expect(received.slice(before).filter((m) => m.text.includes(lost.reference))).toHaveLength(2);
    // A job failed for good without the mail saying why (here: marked so by hand): the admin sees it.
    const broken = await submitted();
    await until(
      () => emailOf(broken.id),
      (e) => e.status === 'sent',
      'the email sent',
    );
    await settled();
    await t.db.dataSource.query(`UPDATE notifications SET email_status = 'queued', email_sent_at = NULL WHERE case_id = $1`, [broken.id]);
    await t.db.dataSource.query(
      `UPDATE pgboss.job j SET state = 'failed' FROM notifications n WHERE j.name = 'notification-email' AND j.data->'notificationIds' ? n.id::text AND n.case_id = $1`,
      [broken.id],
    );
    await digestRound();
    expect(await emailOf(broken.id)).toMatchObject({ status: 'failed', error: 'other' });
    expect(await failures()).toEqual({ mailEnabled: true, items: expect.arrayContaining([{ status: 'failed', error: 'other', count: 1 }]) });
  });

  it('two application instances on one database: every email is sent once; the queue’s tables hold no protected value', async () => {
    const replica = await createTestApp(env(), { replicaOf: t });
    try {
      await replica.scheduler.start();
      const before = mailsTo(w.coordinator.email).length;
      const cases: CaseRef[] = [];
      for (let i = 0; i < 6; i++) cases.push(await submitted());
      await until(
        () => Promise.all(cases.map((c) => emailOf(c.id))),
        (rows) => rows.every((e) => e.status === 'sent'),
        'every email sent',
      );
      await settled();
      const mails = mailsTo(w.coordinator.email).slice(before);
      expect(mails).toHaveLength(cases.length);
      for (const c of cases)
        expect({ case: c.reference, mails: mails.filter((m) => m.text.includes(c.reference)).length }).toEqual({ case: c.reference, mails: 1 });
      // pg-boss's tables are tables too: no address, name, text or reference in them.
      const dump = JSON.stringify(
        await t.db.dataSource.query(`SELECT data, output, singleton_key FROM pgboss.job UNION ALL SELECT data, output, singleton_key FROM pgboss.archive`),
      ).toLowerCase();
      const protectedValues = [...SECRETS, w.coordinator.email, w.referrer.email, ...cases.map((c) => c.reference)];
      expect(protectedValues.filter((s) => dump.includes(s.toLowerCase()))).toEqual([]);
    } finally {
      await replica.close();
    }
  }, 180_000);
});
