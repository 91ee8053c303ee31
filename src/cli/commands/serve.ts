import type { Command } from 'commander';
import { startServer } from '../../runtime/serve.js';
import { loadCliConfig, type GlobalOptions } from '../config.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the authorization server (creates storage, migrates and generates keys on first start)',
    )
    .option('--port <port>', 'port to listen on (PORT)')
    .option('--host <host>', 'address to bind (HOST)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ portcullis serve\n  $ PORT=9000 portcullis serve\n  $ DATABASE_URL=postgres://localhost/portcullis portcullis serve',
    )
    .action(async (options: { port?: string; host?: string }, command: Command) => {
      const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), {
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.host !== undefined ? { host: options.host } : {}),
      });
      const server = await startServer(config);
      const { portcullis } = server;
      const lines = [
        '',
        `  Portcullis is running at ${server.url}`,
        '',
        `  Issuer         ${config.issuer}`,
        `  API docs       ${server.url}/docs`,
        `  Discovery      ${config.issuer}/.well-known/openid-configuration`,
        `  Database       ${portcullis.dialect} ${portcullis.databaseLocation}${portcullis.migrated.length ? ` (applied ${portcullis.migrated.length} migration(s))` : ''}`,
        `  Signing key    ${portcullis.ctx.keys.signing.alg} ${portcullis.ctx.keys.signing.kid}${portcullis.keyCreated ? ' (new)' : ''}`,
        '',
        '  Next: create a client in another terminal:',
        '    npx portcullis create --type=client_credentials --name="My Service"',
        '',
      ];
      const shutdown = (signal: string) => {
        server.app.log.info({ signal }, 'shutting down: draining in-flight requests');
        server.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            server.app.log.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.stdout.write(lines.join('\n') + '\n');
    });
}
