import { invalidRequest } from '../errors.js';
import type { AuthorizeCheck, Prompt } from './authorization-request.js';

const PROMPTS = new Set<Prompt>(['none', 'login', 'consent']);

/** OIDC Core §3.1.2.1: `prompt`, `max_age`, `nonce`, and the pass-through `state`. */
export const checkPrompt: AuthorizeCheck = (params, request) => {
  const prompt = new Set<Prompt>();
  for (const value of (params.prompt ?? '').split(' ').filter(Boolean)) {
    if (!PROMPTS.has(value as Prompt)) throw invalidRequest(`prompt "${value}" is not supported`);
    prompt.add(value as Prompt);
  }
  if (prompt.has('none') && prompt.size > 1) throw invalidRequest('prompt=none cannot be combined');
  request.prompt = prompt;
  if (params.max_age !== undefined) {
    if (!/^\d{1,9}$/.test(params.max_age))
      throw invalidRequest('max_age must be a whole number of seconds');
    request.maxAge = Number(params.max_age);
  } else {
    request.maxAge = null;
  }
  if (params.nonce !== undefined && (params.nonce.length === 0 || params.nonce.length > 512)) {
    throw invalidRequest('nonce must be 1 to 512 characters');
  }
  request.nonce = params.nonce ?? null;
  request.state = params.state ?? null;
};
