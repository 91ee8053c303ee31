import type { FastifyInstance } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { SUPPORTED_GRANT_TYPES } from '../../core/oauth/token-endpoint.js';

/** RFC 8414 / OIDC Discovery metadata, built from the live configuration. */
export async function authorizationServerMetadata(
  ctx: CoreContext,
): Promise<Record<string, unknown>> {
  const issuer = ctx.config.issuer;
  const url = (path: string) => `${issuer}${path}`;
  const scopes = (await ctx.repos.scopes.list()).map((s) => s.name);
  const clientAuth = ['client_secret_basic', 'client_secret_post'];
  return {
    issuer,
    authorization_endpoint: url('/oauth/authorize'),
    token_endpoint: url('/oauth/token'),
    jwks_uri: url('/.well-known/jwks.json'),
    userinfo_endpoint: url('/oauth/userinfo'),
    introspection_endpoint: url('/oauth/introspect'),
    revocation_endpoint: url('/oauth/revoke'),
    end_session_endpoint: url('/oauth/logout'),
    scopes_supported: scopes,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: SUPPORTED_GRANT_TYPES,
    token_endpoint_auth_methods_supported: [...clientAuth, 'none'],
    introspection_endpoint_auth_methods_supported: clientAuth,
    revocation_endpoint_auth_methods_supported: [...clientAuth, 'none'],
    code_challenge_methods_supported: ['S256'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [ctx.keys.signing.alg],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'at_hash',
      'email',
      'email_verified',
      'name',
    ],
    prompt_values_supported: ['none', 'login', 'consent'],
    authorization_response_iss_parameter_supported: true,
    // Absent means true (OIDC Discovery §3); request objects are not supported.
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    service_documentation: url('/docs'),
  };
}

export async function wellKnownRoutes(
  app: FastifyInstance,
  { ctx }: { ctx: CoreContext },
): Promise<void> {
  const metadata = {
    tags: ['discovery'],
    response: { 200: { type: 'object', additionalProperties: true } },
  };
  app.get(
    '/.well-known/oauth-authorization-server',
    { schema: { ...metadata, summary: 'RFC 8414 metadata' } },
    async () => authorizationServerMetadata(ctx),
  );
  app.get(
    '/.well-known/openid-configuration',
    { schema: { ...metadata, summary: 'OpenID Connect discovery' } },
    async () => authorizationServerMetadata(ctx),
  );
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        ...metadata,
        summary: 'Public signing keys (JWK Set), including retired keys still in use',
      },
    },
    async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').send(await ctx.keys.jwks()),
  );
}
