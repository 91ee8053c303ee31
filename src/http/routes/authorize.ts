import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { validateAuthorizationRequest } from '../../core/oauth/authorize/validate-request.js';
import { decideAuthorization, needsSignIn } from '../../core/oauth/authorize/decide.js';
import { authorizationRequestDigest } from '../../core/oauth/authorize/request-digest.js';
import { buildRedirect, issueAuthorizationCode } from '../../core/oauth/authorize/issue-code.js';
import type { AuthorizationRequest } from '../../core/oauth/authorize/authorization-request.js';
import { grantConsent } from '../../core/consents/grant-consent.js';
import {
  forgetRequestOfSignIn,
  findLoginSession,
  startLoginSession,
} from '../../core/sessions/sessions.js';
import { signIn } from '../../core/users/sign-in.js';
import { endLoginSession } from '../../core/sessions/end-session.js';
import type { LoginSession } from '../../core/sessions/login-session.js';
import { OAuthError } from '../../core/oauth/errors.js';
import { singleValued } from '../form-params.js';
import { csrfToken, csrfValid } from '../csrf.js';
import { loginPage } from '../pages/login-page.js';
import { consentPage } from '../pages/consent-page.js';
import { errorPage } from '../pages/error-page.js';
import { oauthCookiePath, pageHeaders } from '../pages/page-headers.js';

export const SESSION_COOKIE = 'portcullis_session';
const FORM_FIELDS = new Set(['csrf_token', 'portcullis_action', 'email', 'password']);
/**
 * `GET /oauth/authorize` and the form posts of its login and consent pages (`POST`, same URL).
 * Every post re-validates the whole request: nothing in the hidden fields is trusted.
 */
export async function authorizeRoutes(
  app: FastifyInstance,
  { ctx }: { ctx: CoreContext },
): Promise<void> {
  const secure = ctx.config.issuer.startsWith('https:');
  const cookiePath = oauthCookiePath(ctx.config.issuer);
  const action = `${cookiePath}/authorize`;

  const handle = async (request: FastifyRequest, reply: FastifyReply, input: unknown) => {
    let all: Record<string, string | undefined>;
    try {
      all = singleValued(input);
    } catch (error) {
      return showError(reply, error as OAuthError);
    }
    const form = Object.fromEntries([...FORM_FIELDS].map((k) => [k, all[k]]));
    const params = Object.fromEntries(Object.entries(all).filter(([k]) => !FORM_FIELDS.has(k)));
    const validated = await validateAuthorizationRequest(ctx, params);
    if (!validated.ok) {
      if (!validated.redirectUri) return showError(reply, validated.error);
      return redirectError(reply, validated.redirectUri, validated.error, validated.state);
    }
    const authz = validated.request;
    let session = await findLoginSession(ctx, request.cookies[SESSION_COOKIE]);

    if (request.method === 'POST') {
      if (!csrfValid(request, form.csrf_token)) {
        return showError(
          reply,
          new OAuthError('invalid_request', 'the form expired; go back and try again'),
          403,
        );
      }
      if (form.portcullis_action === 'login') {
        const result = await signIn(ctx, {
          email: form.email ?? '',
          password: form.password ?? '',
          ip: request.ip,
        });
        if (!result.ok) {
          if (result.reason === 'throttled') {
            reply.header('retry-after', String(result.retryAfterSeconds));
            const minutes = Math.ceil(result.retryAfterSeconds / 60);
            const message = `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
            return renderLogin(request, reply, authz, params, message, form.email, 429);
          }
          if (result.reason === 'email_not_verified') {
            return renderLogin(
              request,
              reply,
              authz,
              params,
              'Confirm your email address first: follow the link in the mail we sent you.',
              form.email,
              403,
            );
          }
          return renderLogin(
            request,
            reply,
            authz,
            params,
            'Invalid email or password.',
            form.email,
            401,
          );
        }
        // The browser's previous session (another user, or the same one signing in again)
        // ends here: one browser, one session.
        if (session) await endLoginSession(ctx, session.id);
        const started = await startLoginSession(ctx, result.user.id, {
          requestDigest: authorizationRequestDigest(authz),
        });
        reply.setCookie(SESSION_COOKIE, started.cookie, {
          path: cookiePath,
          httpOnly: true,
          sameSite: 'lax',
          secure,
          maxAge: ctx.config.loginSessionHours * 3600,
        });
        session = started.session;
      } else if (form.portcullis_action === 'deny' && session) {
        await forgetRequestOfSignIn(ctx, session);
        return redirectError(
          reply,
          authz.redirectUri,
          new OAuthError('access_denied', 'the user denied the request'),
          authz.state,
        );
      } else if (
        form.portcullis_action === 'approve' &&
        session &&
        !needsSignIn(ctx, authz, session)
      ) {
        // Only a session that may serve this request approves it: posting `approve` with an
        // old session must not skip the sign-in that prompt=login or max_age asks for.
        await grantConsent(ctx, session.userId, authz.client.id, authz.scopes);
        return issue(reply, authz, session);
      }
    }

    let decision;
    try {
      decision = await decideAuthorization(ctx, authz, session);
    } catch (error) {
      if (error instanceof OAuthError)
        return redirectError(reply, authz.redirectUri, error, authz.state);
      throw error;
    }
    if (decision.kind === 'login') return renderLogin(request, reply, authz, params);
    if (decision.kind === 'consent') return renderConsent(request, reply, authz, params, session!);
    return issue(reply, authz, decision.session);
  };

  const issue = async (reply: FastifyReply, authz: AuthorizationRequest, session: LoginSession) => {
    const location = await issueAuthorizationCode(ctx, authz, {
      userId: session.userId,
      authTime: session.authTime,
    });
    await forgetRequestOfSignIn(ctx, session);
    return reply.header('cache-control', 'no-store').redirect(location, 303);
  };

  const redirectError = (
    reply: FastifyReply,
    redirectUri: string,
    error: OAuthError,
    state: string | null,
  ) =>
    reply.header('cache-control', 'no-store').redirect(
      buildRedirect(redirectUri, {
        error: error.code,
        error_description: error.description,
        state,
        iss: ctx.config.issuer,
      }),
      303,
    );

  const showError = (reply: FastifyReply, error: OAuthError, status = 400) =>
    reply.status(status).headers(pageHeaders()).send(errorPage(error.code, error.description));

  const renderLogin = (
    request: FastifyRequest,
    reply: FastifyReply,
    authz: AuthorizationRequest,
    params: Record<string, string | undefined>,
    error?: string,
    email?: string,
    status = 200,
  ) =>
    reply
      .status(status)
      .headers(pageHeaders(authz.redirectUri))
      .send(
        loginPage({
          clientName: authz.client.name,
          action,
          params,
          csrf: csrfToken(request, reply, { secure, path: cookiePath }),
          ...(error ? { error } : {}),
          ...(email ? { email } : {}),
        }),
      );

  const renderConsent = async (
    request: FastifyRequest,
    reply: FastifyReply,
    authz: AuthorizationRequest,
    params: Record<string, string | undefined>,
    session: LoginSession,
  ) => {
    const user = await ctx.repos.users.findById(session.userId);
    const defined = new Map((await ctx.repos.scopes.list()).map((s) => [s.name, s]));
    return reply.headers(pageHeaders(authz.redirectUri)).send(
      consentPage({
        clientName: authz.client.name,
        userEmail: user?.email ?? '',
        scopes: authz.scopes.map(
          (name) => defined.get(name) ?? { name, description: name, createdAt: 0 },
        ),
        action,
        params,
        csrf: csrfToken(request, reply, { secure, path: cookiePath }),
      }),
    );
  };

  const hide = { hide: true } as const;
  app.get(
    '/oauth/authorize',
    { schema: { ...hide, summary: 'Authorization endpoint (RFC 6749 §3.1)' } },
    (request, reply) => handle(request, reply, request.query),
  );
  app.post('/oauth/authorize', { schema: hide }, (request, reply) =>
    handle(request, reply, request.body),
  );
}
