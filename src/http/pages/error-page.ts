import { escapeHtml, page } from './html.js';

/** Shown instead of redirecting when the client or redirect URI cannot be trusted. */
export function errorPage(code: string, description: string): string {
  return page(
    'Error',
    `<h1>This sign-in request cannot be completed</h1>
    <p class="error" role="alert"><code>${escapeHtml(code)}</code>: ${escapeHtml(description)}</p>
    <p class="muted">The application that sent you here is misconfigured or the link is broken. Return to it and try again.</p>`,
  );
}
