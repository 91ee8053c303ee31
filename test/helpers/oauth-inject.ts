import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import { FormBrowser } from './browser-flow.js';

export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** POST a form to the token endpoint (or any form endpoint) through app.inject. */
export function postForm(
  app: FastifyInstance,
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

/**
 * A browser session against app.inject: cookies kept, forms read and posted back.
 */
export class InjectBrowser {
  readonly cookies: Record<string, string> = {};
  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies) this.cookies[cookie.name] = cookie.value;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'GET', url, cookies: this.cookies });
    this.remember(response);
    return response;
  }

  async post(url: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: 'POST',
      url,
      cookies: this.cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
    this.remember(response);
    return response;
  }

  async login(
    page: LightMyRequestResponse,
    email: string,
    password: string,
  ): Promise<LightMyRequestResponse> {
    const form = FormBrowser.readForm(page.body);
    return this.post(form.action, { ...form.fields, email, password });
  }

  async decide(
    page: LightMyRequestResponse,
    decision: 'approve' | 'deny',
  ): Promise<LightMyRequestResponse> {
    const form = FormBrowser.readForm(page.body);
    return this.post(form.action, { ...form.fields, portcullis_action: decision });
  }

  /** Authorize → login → consent → the redirect Location. */
  async authorize(query: Record<string, string>, email: string, password: string): Promise<URL> {
    let response = await this.get(`/oauth/authorize?${new URLSearchParams(query)}`);
    if (response.statusCode === 200 && response.body.includes('name="password"')) {
      response = await this.login(response, email, password);
    }
    if (response.statusCode === 200) response = await this.decide(response, 'approve');
    if (response.statusCode !== 303)
      throw new Error(`expected 303, got ${response.statusCode}: ${response.body.slice(0, 400)}`);
    return new URL(response.headers.location as string);
  }
}
