/**
 * A minimal browser for the server-rendered login and consent pages: keeps cookies, reads
 * forms, posts them back, and stops at the redirect to the client.
 */
export class FormBrowser {
  private cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }

  async get(url: string): Promise<Response> {
    const response = await fetch(url, {
      headers: { cookie: this.cookieHeader() },
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    const response = await fetch(new URL(path, this.base), {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  /** The hidden and text inputs of the first form in `html`, with the form's action. */
  static readForm(html: string): { action: string; fields: Record<string, string> } {
    const action = decode(/<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '');
    const fields: Record<string, string> = {};
    for (const match of html.matchAll(
      /<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"/g,
    )) {
      fields[decode(match[1]!)] = decode(match[2]!);
    }
    return { action, fields };
  }

  /**
   * Signs in on the login page and approves on the consent page (when shown); returns the
   * final redirect Location.
   */
  async signInAndApprove(authorizeUrl: string, email: string, password: string): Promise<URL> {
    let response = await this.get(authorizeUrl);
    if (response.status === 200) {
      const html = await response.text();
      if (html.includes('name="password"')) {
        const login = FormBrowser.readForm(html);
        response = await this.post(login.action, { ...login.fields, email, password });
      } else {
        response = await this.approve(html);
      }
    }
    if (response.status === 200) response = await this.approve(await response.text());
    if (response.status !== 303)
      throw new Error(`expected a redirect, got ${response.status}: ${await response.text()}`);
    return new URL(response.headers.get('location')!);
  }

  async approve(consentHtml: string, decision: 'approve' | 'deny' = 'approve'): Promise<Response> {
    if (!consentHtml.includes('portcullis_action" value="approve"'))
      throw new Error(`not a consent page: ${consentHtml.slice(0, 300)}`);
    const consent = FormBrowser.readForm(consentHtml);
    return this.post(consent.action, { ...consent.fields, portcullis_action: decision });
  }
}

function decode(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
