const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Hidden inputs carrying the authorization request through the login and consent forms. */
export function hiddenFields(params: Record<string, string | undefined>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v!)}">`)
    .join('\n      ');
}

/** The page shell: no external assets, so a strict CSP holds. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Portcullis</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #1d2330; margin: 0; }
  main { max-width: 26rem; margin: 8vh auto; background: #fff; padding: 2rem; border-radius: 10px; box-shadow: 0 2px 12px #0002; }
  h1 { font-size: 1.35rem; margin: 0 0 1rem; }
  label { display: block; margin: .8rem 0 .25rem; font-weight: 600; }
  input[type=email], input[type=password] { width: 100%; padding: .6rem; border: 1px solid #bbc; border-radius: 6px; box-sizing: border-box; font-size: 1rem; }
  button { margin-top: 1.2rem; padding: .6rem 1.2rem; border: 0; border-radius: 6px; font-size: 1rem; cursor: pointer; background: #2f5bea; color: #fff; }
  button.secondary { background: #e4e7ee; color: #1d2330; margin-left: .5rem; }
  .error { background: #fde8e8; color: #9b1c1c; padding: .6rem .8rem; border-radius: 6px; }
  ul.scopes { padding-left: 1.2rem; } code { background: #eef; padding: 0 .3rem; border-radius: 4px; }
  .muted { color: #667; font-size: .9rem; }
</style>
</head>
<body><main>
${body}
</main></body>
</html>`;
}
