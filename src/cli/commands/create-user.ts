import type { Command } from 'commander';
import { createUser } from '../../core/users/create-user.js';
import { UsageError, withPortcullis } from '../open.js';
import { printJson } from '../output.js';

export function registerCreateUser(program: Command): void {
  program
    .command('users:create')
    .description('Create a user who can sign in on the login page and use the password grant')
    .option('--email <email>', 'email address')
    .option('--password <password>', 'password (or PORTCULLIS_NEW_USER_PASSWORD)')
    .option('--name <name>', 'display name')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ portcullis users:create --email=ada@example.com --password="correct horse battery staple"',
    )
    .action(
      async (
        options: { email?: string; password?: string; name?: string; json?: boolean },
        command: Command,
      ) => {
        const password = options.password ?? process.env.PORTCULLIS_NEW_USER_PASSWORD;
        if (!options.email || !password)
          throw new UsageError('--email and --password are required');
        const user = await withPortcullis(command, (p) =>
          createUser(p.ctx, {
            email: options.email!,
            password,
            name: options.name ?? null,
            emailVerified: true,
          }),
        );
        if (options.json) printJson({ id: user.id, email: user.email, name: user.name });
        else process.stdout.write(`User created: ${user.id} ${user.email}\n`);
      },
    );
}
