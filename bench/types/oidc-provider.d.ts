// Minimal typings for the parts of node-oidc-provider 8 the benchmark uses (the package ships no
// types and @types/oidc-provider is not a dependency). The configuration object is deliberately
// loose (Record<string, unknown>): it has hundreds of keys and only a handful are set here.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export default class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    /** Node request listener (the Koa app behind the provider). */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    proxy: boolean;
  }
}
