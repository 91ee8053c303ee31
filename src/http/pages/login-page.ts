import { escapeHtml, hiddenFields, page } from './html.js';

export function loginPage(options: {
  clientName: string;
  action: string;
  params: Record<string, string | undefined>;
  csrf: string;
  email?: string;
  error?: string;
}): string {
  return page(
    'Sign in',
    `<h1>Sign in to continue to ${escapeHtml(options.clientName)}</h1>
    ${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
    <form method="post" action="${escapeHtml(options.action)}">
      ${hiddenFields(options.params)}
      <input type="hidden" name="csrf_token" value="${escapeHtml(options.csrf)}">
      <input type="hidden" name="portcullis_action" value="login">
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(options.email ?? '')}">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      <button type="submit">Sign in</button>
    </form>`,
  );
}
