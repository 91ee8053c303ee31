import type { ScopeDefinition } from '../../core/scopes/scope.js';
import { escapeHtml, hiddenFields, page } from './html.js';

export function consentPage(options: {
  clientName: string;
  userEmail: string;
  scopes: ScopeDefinition[];
  action: string;
  params: Record<string, string | undefined>;
  csrf: string;
}): string {
  const list = options.scopes
    .map(
      (s) =>
        `<li><strong>${escapeHtml(s.description)}</strong> <code>${escapeHtml(s.name)}</code></li>`,
    )
    .join('');
  return page(
    'Authorize',
    `<h1>${escapeHtml(options.clientName)} wants to access your account</h1>
    <p class="muted">Signed in as ${escapeHtml(options.userEmail)}</p>
    ${list ? `<p>It asks to:</p><ul class="scopes">${list}</ul>` : '<p>It asks for no specific permissions.</p>'}
    <form method="post" action="${escapeHtml(options.action)}">
      ${hiddenFields(options.params)}
      <input type="hidden" name="csrf_token" value="${escapeHtml(options.csrf)}">
      <button type="submit" name="portcullis_action" value="approve">Allow</button>
      <button type="submit" name="portcullis_action" value="deny" class="secondary">Deny</button>
    </form>`,
  );
}
