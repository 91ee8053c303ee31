import { OAuthError, invalidRequest } from '../errors.js';
import type { AuthorizeCheck } from './authorization-request.js';

/** Only the code flow (OAuth 2.1 drops implicit), answered in the query. */
export const checkResponseType: AuthorizeCheck = (params) => {
  if (!params.response_type) throw invalidRequest('response_type is required');
  if (params.response_type !== 'code') {
    throw new OAuthError('unsupported_response_type', 'only response_type=code is supported');
  }
  if (params.response_mode !== undefined && params.response_mode !== 'query') {
    throw invalidRequest('only response_mode=query is supported');
  }
  if (params.request !== undefined || params.request_uri !== undefined) {
    throw invalidRequest('request objects are not supported');
  }
};
