/** Shared JSON schemas for the OAuth routes (they also document `/docs`). */

export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

export const oauthErrorSchema = {
  type: 'object',
  properties: {
    error: { type: 'string', description: 'RFC 6749 §5.2 error code' },
    error_description: { type: 'string' },
  },
  required: ['error'],
} as const;

const formString = { type: 'string', maxLength: 4096 } as const;

export const tokenRequestBody = {
  type: 'object',
  properties: {
    grant_type: {
      ...formString,
      description: 'authorization_code, client_credentials, password or refresh_token',
    },
    code: formString,
    redirect_uri: formString,
    code_verifier: formString,
    refresh_token: formString,
    username: formString,
    password: formString,
    scope: formString,
    client_id: formString,
    client_secret: formString,
  },
} as const;

export const tokenOnlyBody = {
  type: 'object',
  properties: {
    token: { type: 'string', maxLength: 8192 },
    token_type_hint: { type: 'string', maxLength: 64 },
    client_id: formString,
    client_secret: formString,
  },
} as const;
