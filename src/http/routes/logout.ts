import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { OAuthError } from '../../core/oauth/errors.js';
import { buildRedirect } from '../../core/oauth/authorize/issue-code.js';
import {
  endLoginSession,
  validateEndSession,
  type EndSessionRequest,
} from '../../core/sessions/end-session.js';
import { findLoginSession } from '../../core/sessions/sessions.js';
import { singleValued } from '../form-params.js';
import { csrfToken, csrfValid } from '../csrf.js';
import { errorPage } from '../pages/error-page.js';
import { logoutConfirmPage, signedOutPage } from '../pages/logout-pages.js';
import { oauthCookiePath, pageHeaders } from '../pages/page-headers.js';
import { SESSION_COOKIE } from './authorize.js';

/**
 * `GET|POST /oauth/logout`: OpenID Connect RP-initiated logout. A signed-in browser is asked to
 * confirm (a cross-site link cannot sign anyone out); then the session is deleted and the
 * browser goes to the client's `post_logout_redirect_uri` with `state`, or sees a signed-out page.
 */
export async function logoutRoutes(
  app: FastifyInstance,
  { ctx }: { ctx: CoreContext },
): Promise<void> {
  const cookiePath = oauthCookiePath(ctx.config.issuer);
  const secure = ctx.config.issuer.startsWith('https:');

  const finish = (reply: FastifyReply, request: EndSessionRequest) =>
    request.postLogoutRedirectUri
      ? reply
          .header('cache-control', 'no-store')
          .redirect(buildRedirect(request.postLogoutRedirectUri, { state: request.state }), 303)
      : reply.headers(pageHeaders()).send(signedOutPage());

  const handle = async (request: FastifyRequest, reply: FastifyReply, input: unknown) => {
    let params: Record<string, string | undefined>;
    let validated: EndSessionRequest;
    try {
      params = singleValued(input);
      validated = await validateEndSession(ctx, params);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return reply
        .status(400)
        .headers(pageHeaders())
        .send(errorPage(error.code, error.description));
    }
    const { csrf_token: submitted, ...forwarded } = params;
    const session = await findLoginSession(ctx, request.cookies[SESSION_COOKIE]);
    if (!session) return finish(reply, validated);
    if (request.method === 'POST' && csrfValid(request, submitted)) {
      await endLoginSession(ctx, session.id);
      reply.clearCookie(SESSION_COOKIE, { path: cookiePath });
      return finish(reply, validated);
    }
    const user = await ctx.repos.users.findById(session.userId);
    return reply.headers(pageHeaders(validated.postLogoutRedirectUri ?? undefined)).send(
      logoutConfirmPage({
        email: user?.email ?? '',
        clientName: validated.client?.name ?? null,
        action: `${cookiePath}/logout`,
        params: forwarded,
        csrf: csrfToken(request, reply, { secure, path: cookiePath }),
      }),
    );
  };

  const schema = { hide: true } as const;
  app.get('/oauth/logout', { schema }, (request, reply) => handle(request, reply, request.query));
  app.post('/oauth/logout', { schema }, (request, reply) => handle(request, reply, request.body));
}
