import type { FastifyRequest } from 'fastify';

/**
 * Parameters that carry credentials or personal data and must not reach the logs, whether in a
 * query string or a form body quoted in a message.
 */
const SENSITIVE = [
  'id_token_hint',
  'id_token',
  'code',
  'code_verifier',
  'access_token',
  'refresh_token',
  'token',
  'client_secret',
  'client_assertion',
  'assertion',
  'subject_token',
  'actor_token',
  'device_code',
  'password',
  'password_confirm',
  'new_password',
  'csrf_token',
  'api_key',
  'login_hint',
];

/**
 * `name=value` after `?`, `&` or `;`, also percent-encoded (`%3F`, `%26`, `%3D`: a URL nested in
 * another's parameter). The value ends at the next separator, whitespace, quote or backslash
 * (a JSON escape in a serialized log line), so the rest of the line survives.
 */
const PARAMETER = new RegExp(
  `((?:[?&;]|%3F|%26)(?:${SENSITIVE.join('|')})(?:=|%3D))[^&;#\\s"'\\\\]*`,
  'gi',
);

/** `text` with every sensitive parameter's value replaced by `REDACTED`. */
export function redactSecrets(text: string): string {
  return text.replace(PARAMETER, '$1REDACTED');
}

/** The URL with sensitive query values replaced by `REDACTED`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return redactSecrets(url);
  // URLSearchParams decodes names too: `?to%6Ben=` is the `token` Fastify's parser sees.
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const name of SENSITIVE) {
    if (params.has(name)) {
      params.set(name, 'REDACTED');
      changed = true;
    }
  }
  return redactSecrets(changed ? `${url.slice(0, q)}?${params.toString()}` : url);
}

/** pino serializer for requests: what Fastify logs by default, with the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * Logger options that keep secrets out of every line. The request serializer covers the
 * `incoming request` line; the `streamWrite` hook sees each line as written, so the URL in
 * Fastify's own messages (`Route GET:/…?token=… not found`, "reply already sent" warnings), in
 * error messages and stacks, and in anything a route logs is redacted as well.
 */
export const logRedaction = {
  serializers: { req: serializeRequest },
  hooks: { streamWrite: redactSecrets },
};
