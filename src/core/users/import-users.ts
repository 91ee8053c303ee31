import type { CoreContext } from '../context.js';
import { newId } from '../ids.js';
import { isSupportedPasswordHash } from './password.js';
import { normalizeEmail } from './user.js';

/** One user to import: a bcrypt (Laravel `$2y$`, passlib `$2b$`) or argon2id hash, never a password. */
export interface ImportedUserRow {
  email: string;
  name?: string | null;
  password_hash: string;
  email_verified?: boolean;
}

export interface ImportReport {
  imported: number;
  skipped: Array<{ row: number; email: string; reason: string }>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Imports users with their existing password hashes (from Laravel, passlib…): each row is
 * checked on its own, a bad or taken one is skipped with the reason, the others go in. Imported
 * bcrypt hashes are replaced by argon2id at each user's next successful sign-in.
 */
export async function importUsers(
  ctx: CoreContext,
  rows: readonly ImportedUserRow[],
): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, skipped: [] };
  const seen = new Set<string>();
  for (const [index, row] of rows.entries()) {
    const skip = (reason: string) =>
      report.skipped.push({ row: index + 1, email: String(row?.email ?? ''), reason });
    if (typeof row?.email !== 'string' || typeof row.password_hash !== 'string') {
      skip('email and password_hash are required');
      continue;
    }
    const email = normalizeEmail(row.email);
    if (!EMAIL.test(email) || email.length > 254) {
      skip('not a valid email address');
      continue;
    }
    if (!isSupportedPasswordHash(row.password_hash)) {
      skip('password_hash is neither bcrypt ($2a$/$2b$/$2y$) nor argon2id');
      continue;
    }
    if (row.name != null && (typeof row.name !== 'string' || row.name.length > 200)) {
      skip('name must be text of at most 200 characters');
      continue;
    }
    if (seen.has(email) || (await ctx.repos.users.findByEmail(email))) {
      skip('the email is already registered');
      continue;
    }
    seen.add(email);
    const now = ctx.clock.now();
    await ctx.repos.users.insert({
      id: newId(),
      email,
      name: row.name ?? null,
      passwordHash: row.password_hash,
      emailVerifiedAt: row.email_verified ? now : null,
      disabledAt: null,
      createdAt: now,
      updatedAt: now,
    });
    report.imported += 1;
  }
  return report;
}

/**
 * Rows from a file's text: a JSON array of objects, or CSV (RFC 4180: a header line naming
 * `email`, `password_hash` and optionally `name`, `email_verified`; quoted fields may hold
 * commas, quotes doubled).
 */
export function parseUserRows(text: string): ImportedUserRow[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (!Array.isArray(parsed)) throw new SyntaxError('expected a JSON array of users');
    return parsed as ImportedUserRow[];
  }
  const records = parseCsv(trimmed);
  const [header, ...lines] = records;
  if (!header) return [];
  const columns = header.map((h) => h.trim().toLowerCase());
  for (const required of ['email', 'password_hash'])
    if (!columns.includes(required))
      throw new SyntaxError(`the CSV header has no ${required} column`);
  return lines
    .filter((line) => line.some((cell) => cell.trim() !== ''))
    .map((line) => {
      const value = (name: string) => {
        const i = columns.indexOf(name);
        return i >= 0 ? line[i]?.trim() : undefined;
      };
      return {
        email: value('email') ?? '',
        password_hash: value('password_hash') ?? '',
        name: value('name') || null,
        email_verified: ['true', '1', 'yes'].includes(
          (value('email_verified') ?? '').toLowerCase(),
        ),
      };
    });
}

function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new SyntaxError('the CSV ends inside a quoted field');
  record.push(field);
  records.push(record);
  return records;
}
