import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { Mailer } from '../core/accounts/mailer.js';
import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';

/**
 * nodemailer: SMTP when `smtpUrl` is set; otherwise each message is written as an RFC 5322
 * `.eml` file to `<storageDir>/mail/` (nodemailer's stream transport builds it), so
 * registration and resets work with zero configuration and tests read the mail.
 */
export function createMailer(options: {
  smtpUrl: string | undefined;
  from: string;
  storageDir: string;
  clock: Clock;
}): Mailer {
  if (options.smtpUrl) {
    const transport = createTransport(options.smtpUrl);
    return {
      async send(message) {
        await transport.sendMail({ from: options.from, ...message });
      },
    };
  }
  const folder = join(options.storageDir, 'mail');
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message });
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      // Time first so a listing sorts by sending; the id keeps two in one millisecond apart.
      const name = `${new Date(options.clock.now()).toISOString().replace(/[:.]/g, '-')}-${newId()}.eml`;
      writeFileSync(join(folder, name), info.message as Buffer, { mode: 0o600 });
    },
  };
}
