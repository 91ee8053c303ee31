import type { FastifyRequest } from 'fastify';

/** The token of `Authorization: Bearer …` (RFC 6750 §2.1), or undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const match = request.headers.authorization?.match(/^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i);
  return match?.[1];
}
