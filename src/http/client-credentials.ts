import type { FastifyRequest } from 'fastify';
import type { ClientCredentials } from '../core/clients/authenticate-client.js';
import { invalidClient, invalidRequest } from '../core/oauth/errors.js';

function decodeBasicPart(value: string): string {
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
  let decoded: string;
  try {
    decoded = decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw invalidClient('malformed Basic credentials');
  }
  if (decoded.includes('\0')) throw invalidClient('malformed Basic credentials');
  return decoded;
}

/**
 * Reads client credentials from `Authorization: Basic` (client_secret_basic) or the body
 * (client_secret_post), or a bare client_id (public client). Using two methods at once is an
 * `invalid_request` (RFC 6749 §2.3).
 */
export function readClientCredentials(
  request: FastifyRequest,
  params: Record<string, string | undefined>,
): ClientCredentials {
  const header = request.headers.authorization;
  const basic = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (header && /^Basic\b/i.test(header) && !basic)
    throw invalidClient('malformed Basic credentials');
  if (basic) {
    if (params.client_secret !== undefined)
      throw invalidRequest('use one client authentication method, not two');
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalidClient('malformed Basic credentials');
    const clientId = decodeBasicPart(decoded.slice(0, colon));
    if (params.client_id !== undefined && params.client_id !== clientId) {
      throw invalidRequest('client_id in the body differs from the Basic credentials');
    }
    return {
      clientId,
      clientSecret: decodeBasicPart(decoded.slice(colon + 1)),
      method: 'client_secret_basic',
    };
  }
  if (!params.client_id) throw invalidClient('client authentication is required');
  if (params.client_secret !== undefined) {
    return {
      clientId: params.client_id,
      clientSecret: params.client_secret,
      method: 'client_secret_post',
    };
  }
  return { clientId: params.client_id, method: 'none' };
}
