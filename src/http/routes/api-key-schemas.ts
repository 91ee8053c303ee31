/** JSON schemas of `/api/v1/api-keys` (validation, and the OpenAPI document at `/docs`). */

export const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;
export const apiKeySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    prefix: { type: 'string', description: 'the visible start of the key, e.g. sk_live_abcd' },
    environment: { type: 'string', enum: ['live', 'test'] },
    scopes: { type: 'array', items: { type: 'string' } },
    tier: { type: 'string' },
    organization_id: { type: ['string', 'null'] },
    user_id: { type: ['string', 'null'] },
    metadata: { type: 'object', additionalProperties: true },
    status: { type: 'string', enum: ['active', 'expired', 'revoked', 'rotating', 'rotated'] },
    expires_at: nullableTime,
    revoked_at: nullableTime,
    rotated_at: nullableTime,
    grace_until: nullableTime,
    replaced_by: { type: ['string', 'null'] },
    last_used_at: nullableTime,
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;
export const createdSchema = {
  type: 'object',
  properties: {
    ...apiKeySchema.properties,
    key: { type: 'string', description: 'the API key: shown once, never again' },
  },
} as const;
export const problemSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error'],
} as const;
export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;
export const scopeList = {
  type: 'array',
  items: { type: 'string', maxLength: 200 },
  maxItems: 100,
} as const;
