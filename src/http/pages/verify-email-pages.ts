import { page } from './html.js';

export function emailVerifiedPage(): string {
  return page(
    'Email confirmed',
    `<h1>Your email address is confirmed</h1>
    <p class="muted">You can close this window and sign in.</p>`,
  );
}

export function verifyLinkInvalidPage(): string {
  return page(
    'Link expired',
    `<h1>This confirmation link cannot be used</h1>
    <p class="error" role="alert">The link is invalid, already used or expired.</p>
    <p class="muted">If you opened it before (or a mail scanner did), your address may already be confirmed: try to sign in. Otherwise, a password reset by mail confirms it too.</p>`,
  );
}
