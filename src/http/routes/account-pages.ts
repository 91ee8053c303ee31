import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { resetPassword, verifyEmail } from '../../core/accounts/accounts.js';
import { InvalidInputError } from '../../core/entity-errors.js';
import { csrfToken, csrfValid } from '../csrf.js';
import { singleValued } from '../form-params.js';
import { accountPagePath, pageHeaders } from '../pages/page-headers.js';
import {
  passwordResetDonePage,
  resetLinkInvalidPage,
  resetPasswordPage,
} from '../pages/reset-password-pages.js';
import { emailVerifiedPage, verifyLinkInvalidPage } from '../pages/verify-email-pages.js';

const BODY_LIMIT = 16 * 1024;

/**
 * The pages the mailed links open (`/account/reset-password`, `/account/verify-email`): the
 * browser face of `/api/v1/auth/reset-password` and `verify-email`. The token is in the URL,
 * so the pages send `Referrer-Policy: no-referrer` and `no-store` (`pageHeaders`).
 */
export async function accountPageRoutes(
  app: FastifyInstance,
  { ctx }: { ctx: CoreContext },
): Promise<void> {
  const secure = ctx.config.issuer.startsWith('https:');
  const path = accountPagePath(ctx.config.issuer);
  const resetAction = `${path}/reset-password`;
  const schema = { hide: true } as const;

  const send = (reply: FastifyReply, status: number, html: string) =>
    reply.status(status).headers(pageHeaders()).send(html);

  const showResetForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    error?: string,
    status = 200,
  ) =>
    send(
      reply,
      status,
      resetPasswordPage({
        action: resetAction,
        token,
        csrf: csrfToken(request, reply, { secure, path }),
        minLength: ctx.config.accounts.passwordMinLength,
        ...(error ? { error } : {}),
      }),
    );

  // Showing the form spends nothing: a mail scanner that opens the link does not burn it.
  app.get('/account/reset-password', { schema }, (request, reply) => {
    let token: string | undefined;
    try {
      token = singleValued(request.query).token;
    } catch {
      return send(reply, 400, resetLinkInvalidPage());
    }
    if (!token) return send(reply, 400, resetLinkInvalidPage());
    return showResetForm(request, reply, token);
  });

  app.post('/account/reset-password', { schema, bodyLimit: BODY_LIMIT }, async (request, reply) => {
    let form: Record<string, string | undefined>;
    try {
      form = singleValued(request.body);
    } catch {
      return send(reply, 400, resetLinkInvalidPage());
    }
    const token = form.token;
    if (!token) return send(reply, 400, resetLinkInvalidPage());
    if (!csrfValid(request, form.csrf_token))
      return showResetForm(
        request,
        reply,
        token,
        'The form expired: enter the password again.',
        403,
      );
    const password = form.password ?? '';
    if (password !== (form.password_confirm ?? ''))
      return showResetForm(request, reply, token, 'The two passwords differ.', 400);
    let reset: boolean;
    try {
      reset = await resetPassword(ctx, token, password);
    } catch (error) {
      // The policy's message names the rule broken; the token is not spent, so the form stays.
      if (error instanceof InvalidInputError)
        return showResetForm(request, reply, token, error.message, 400);
      throw error;
    }
    if (!reset) return send(reply, 400, resetLinkInvalidPage());
    return send(reply, 200, passwordResetDonePage());
  });

  // Opening the link confirms: whoever can read the mail owns the address, a scanner included.
  app.get('/account/verify-email', { schema }, async (request, reply) => {
    let token: string | undefined;
    try {
      token = singleValued(request.query).token;
    } catch {
      return send(reply, 400, verifyLinkInvalidPage());
    }
    if (!token || !(await verifyEmail(ctx, token)))
      return send(reply, 400, verifyLinkInvalidPage());
    return send(reply, 200, emailVerifiedPage());
  });
}
