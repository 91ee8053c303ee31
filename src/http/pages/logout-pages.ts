import { escapeHtml, hiddenFields, page } from './html.js';

export function logoutConfirmPage(options: {
  email: string;
  clientName: string | null;
  action: string;
  params: Record<string, string | undefined>;
  csrf: string;
}): string {
  return page(
    'Sign out',
    `<h1>Sign out${options.clientName ? ` of ${escapeHtml(options.clientName)}` : ''}?</h1>
    <p class="muted">Signed in as ${escapeHtml(options.email)}</p>
    <form method="post" action="${escapeHtml(options.action)}">
      ${hiddenFields(options.params)}
      <input type="hidden" name="csrf_token" value="${escapeHtml(options.csrf)}">
      <button type="submit">Sign out</button>
    </form>`,
  );
}

export function signedOutPage(): string {
  return page(
    'Signed out',
    '<h1>You are signed out</h1><p class="muted">You can close this window.</p>',
  );
}
