import type { Command } from 'commander';
import { openDatabase } from '../../store/database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { loadCliConfig, type GlobalOptions } from '../config.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ portcullis migrate
  $ DATABASE_URL=postgres://localhost/portcullis portcullis migrate --json`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
      const { db, location } = openDatabase(config.databaseUrl);
      try {
        const applied = await migrateToLatest(db);
        if (options.json)
          process.stdout.write(JSON.stringify({ applied, database: location }) + '\n');
        else
          process.stdout.write(
            applied.length
              ? `Applied ${applied.join(', ')} to ${location}\n`
              : `Nothing to migrate: ${location} is up to date\n`,
          );
      } finally {
        await db.destroy();
      }
    });
}
