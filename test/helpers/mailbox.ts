import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Mail written to `storage/mail` for `to`, oldest first (no `smtpUrl`: mail goes to files). */
export function mailTo(storageDir: string, to: string): string[] {
  let files: string[];
  try {
    files = readdirSync(join(storageDir, 'mail')).sort();
  } catch {
    return [];
  }
  return files
    .map((f) => readFileSync(join(storageDir, 'mail', f), 'utf8'))
    .filter((m) => m.includes(`To: ${to}`));
}

/**
 * The newest link to `path` mailed to `to`, as a path and query (`/account/…?token=…`), once
 * the mail queue has sent what it holds.
 */
export async function mailedLink(
  server: { storageDir: string; portcullis: { ctx: { mailQueue: { drained(): Promise<void> } } } },
  to: string,
  path: string,
): Promise<string> {
  await server.portcullis.ctx.mailQueue.drained();
  // Quoted-printable may wrap long lines with "=\n"; undo it before reading the link.
  const body = mailTo(server.storageDir, to)
    .at(-1)
    ?.replace(/=\r?\n/g, '')
    .replace(/=3D/g, '=');
  const match = body?.match(new RegExp(`https?://[^/\\s]+(${path}\\?token=[A-Za-z0-9_%-]+)`));
  assert.ok(match, `no ${path} link mailed to ${to}`);
  return match[1]!;
}
