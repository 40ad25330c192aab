import type { Transporter } from 'nodemailer';
import type { DeliveryError } from './notification-kinds.js';
import type { Email } from './emails.js';

/** Sends one email; throws a MailError with a category when it cannot. */
export abstract class Mailer {
  /** False: mail is off (no SMTP_URL), the notifications stay in the workspace. */
  abstract readonly enabled: boolean;
  abstract send(to: string, email: Email): Promise<void>;
  async close(): Promise<void> {}
}

export class MailError extends Error {
  constructor(readonly category: DeliveryError) {
    super(`email not delivered (${category})`);
    this.name = 'MailError';
  }
}

/** The category of a nodemailer error (its message may quote an address: never kept). */
export function categoryOf(error: unknown): DeliveryError {
  const e = error as { code?: string; responseCode?: number };
  if (e.code === 'ETIMEDOUT' || e.code === 'ETIMEOUT') return 'timeout';
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return 'authentication';
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || e.code === 'EDNS' || e.code === 'ECONNREFUSED' || e.code === 'ETLS') return 'connection';
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || (e.responseCode !== undefined && e.responseCode >= 400)) return 'rejected';
  return 'other';
}

/** Mail off: nothing is sent (the embedded default). */
export class NoMailer extends Mailer {
  readonly enabled = false;
  send(): Promise<void> {
    return Promise.reject(new MailError('other'));
  }
}

/**
 * Through SMTP (SMTP_URL), with nodemailer: one transport, short timeouts (the task retries).
 * nodemailer is imported only when mail is on (`open`, awaited by the module's provider, so a
 * broken install or a wrong URL stops the start): a server with mail off never holds it.
 */
export class SmtpMailer extends Mailer {
  readonly enabled = true;

  private constructor(
    private readonly transport: Transporter,
    private readonly from: string,
  ) {
    super();
  }

  static async open(url: string, from: string): Promise<SmtpMailer> {
    const u = new URL(url);
    const secure = u.protocol === 'smtps:';
    const nodemailer = await import('nodemailer');
    const transport = nodemailer.createTransport({
      host: u.hostname,
      port: u.port ? Number(u.port) : secure ? 465 : 587,
      secure,
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    return new SmtpMailer(transport, from);
  }

  async send(to: string, email: Email): Promise<void> {
    try {
      await this.transport.sendMail({ from: this.from, to, subject: email.subject, text: email.text });
    } catch (error) {
      throw new MailError(categoryOf(error));
    }
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}
