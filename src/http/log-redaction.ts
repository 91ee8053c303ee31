import type { FastifyRequest } from 'fastify';

/** Query parameters that carry credentials or personal data and must not reach the logs. */
const SENSITIVE = [
  'id_token_hint',
  'code',
  'access_token',
  'refresh_token',
  'token',
  'client_secret',
  'password',
  'login_hint',
];

/** The URL with sensitive query values replaced by `REDACTED`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const name of SENSITIVE) {
    if (params.has(name)) {
      params.set(name, 'REDACTED');
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
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
