import { escapeHtml, page } from './html.js';

/** The form of the mailed reset link: the token rides in a hidden field, never in a cookie. */
export function resetPasswordPage(options: {
  action: string;
  token: string;
  csrf: string;
  minLength: number;
  error?: string;
}): string {
  return page(
    'Reset your password',
    `<h1>Choose a new password</h1>
    ${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
    <form method="post" action="${escapeHtml(options.action)}">
      <input type="hidden" name="token" value="${escapeHtml(options.token)}">
      <input type="hidden" name="csrf_token" value="${escapeHtml(options.csrf)}">
      <label for="password">New password</label>
      <input id="password" name="password" type="password" autocomplete="new-password" minlength="${options.minLength}" required>
      <label for="password_confirm">Repeat it</label>
      <input id="password_confirm" name="password_confirm" type="password" autocomplete="new-password" minlength="${options.minLength}" required>
      <p class="muted">At least ${options.minLength} characters. Every device signed in to the account is signed out.</p>
      <button type="submit">Set the new password</button>
    </form>`,
  );
}

export function passwordResetDonePage(): string {
  return page(
    'Password changed',
    `<h1>Your password is changed</h1>
    <p>You were signed out everywhere: sign in again with the new password.</p>`,
  );
}

export function resetLinkInvalidPage(): string {
  return page(
    'Link expired',
    `<h1>This reset link cannot be used</h1>
    <p class="error" role="alert">The link is invalid, already used or expired.</p>
    <p class="muted">Ask for a new one from the app you use; only the latest link works.</p>`,
  );
}
