/** Error codes and messages meaning "the database cannot be reached right now", per driver. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  // PostgreSQL SQLSTATE: admin/crash shutdown, cannot connect now, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // SQLite: locked beyond busy_timeout, disk I/O.
  'SQLITE_BUSY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
]);

const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Connection terminated due to connection timeout/i,
  /Client has encountered a connection error/i,
];

/**
 * Whether an error means the storage is unreachable (answer 503, retry later) rather than a bug
 * (answer 500). Nothing is ever accepted on such an error: the request fails closed.
 */
export function isStorageUnavailable(error: unknown): boolean {
  // better-sqlite3 reports extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE, …).
  const known = (code: string) =>
    UNAVAILABLE_CODES.has(code) || /^SQLITE_(BUSY|IOERR|CANTOPEN)_/.test(code);
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { code, message, cause, errors } = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && known(code)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(message)))
      return true;
    // AggregateError from a failed connect to several addresses (IPv4 and IPv6).
    if (Array.isArray(errors) && errors.some((inner) => isStorageUnavailable(inner))) return true;
    e = cause;
  }
  return false;
}
