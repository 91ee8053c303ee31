import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual, newSecret } from '../core/secrets.js';

export const CSRF_COOKIE = 'portcullis_csrf';

/**
 * Double-submit CSRF token for the login and consent forms: a random cookie (SameSite=Lax,
 * HttpOnly) that the form must echo. A cross-site form can neither read nor set it.
 */
export function csrfToken(
  request: FastifyRequest,
  reply: FastifyReply,
  cookie: { secure: boolean; path: string },
): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && existing.length >= 32) return existing;
  const token = newSecret();
  reply.setCookie(CSRF_COOKIE, token, { ...cookie, httpOnly: true, sameSite: 'lax' });
  return token;
}

export function csrfValid(request: FastifyRequest, submitted: string | undefined): boolean {
  const cookie = request.cookies[CSRF_COOKIE];
  return Boolean(cookie && submitted && constantTimeEqual(cookie, submitted));
}
