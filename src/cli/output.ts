import { inspect } from 'node:util';

type Style = 'bold' | 'dim' | 'green' | 'red' | 'yellow' | 'cyan';

/**
 * Colours only on a terminal, never with `NO_COLOR` (https://no-color.org) or `TERM=dumb`:
 * output piped to a file or another program stays plain text.
 */
export function colorsEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  const env = process.env;
  if ('NO_COLOR' in env && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/**
 * `text` in `style` when colours are on. The codes come from `util.inspect.colors`; not
 * `util.styleText`, which also drops colours when `CI` is set, even at a terminal.
 */
export function paint(style: Style, text: string, stream = process.stdout): string {
  if (!colorsEnabled(stream)) return text;
  const [open, close] = inspect.colors[style]!;
  return `\x1b[${open}m${text}\x1b[${close}m`;
}

export function print(text = ''): void {
  process.stdout.write(text + '\n');
}

/** `--json` output: one document, pretty-printed, newline-terminated. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Right-align (numbers). */
  right?: boolean;
}

/** Rows as an aligned table with a header line; `empty` when there are none. */
export function formatTable<T>(rows: readonly T[], columns: Column<T>[], empty: string): string {
  if (rows.length === 0) return empty;
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((line) => line[i]!.length)),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => (columns[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [paint('bold', line(columns.map((c) => c.header))), ...cells.map(line)].join('\n');
}

/** Label/value lines, labels aligned: the shape of `show`, `status` and created-things. */
export function formatFields(fields: Array<[string, string]>, indent = '  '): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`).join('\n');
}

/** A plaintext secret, printed once, and the warning that goes with it. */
export function formatSecret(label: string, secret: string): string {
  return [
    formatFields([[label, paint('yellow', secret)]]),
    '',
    paint('bold', '  Store it now: it is shown only once and cannot be recovered.'),
  ].join('\n');
}

export const isoTime = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const isoTimeOrNull = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** `1 refresh token family`, `2 refresh token families`. */
export const counted = (n: number, one: string, many = `${one}s`): string =>
  `${n} ${n === 1 ? one : many}`;
