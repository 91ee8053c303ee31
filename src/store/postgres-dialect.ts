import {
  PostgresDialect,
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Kysely,
  type SchemaMetadata,
  type TableMetadata,
} from 'kysely';

/**
 * Kysely's PostgreSQL dialect, with table introspection limited to the schemas on the search
 * path. Kysely's own introspector reads every table of every schema, column by column, and
 * calls `pg_get_serial_sequence` on each by name: slow in a shared database, and it fails
 * ("relation … does not exist") when another session drops a schema meanwhile. The migrator
 * only asks which of its tables exist; that is all this answers.
 */
export class SearchPathPostgresDialect extends PostgresDialect {
  // `any`: the signature of the method overridden; Kysely hands over an untyped instance.
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SearchPathIntrospector(db);
  }
}

class SearchPathIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`
      select unnest(current_schemas(false)) as name`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; type: string }>`
      select table_name as name, table_schema as schema, table_type as type
      from information_schema.tables
      where table_schema = any (current_schemas(false))`.execute(this.db);
    return rows.map((row) => ({
      name: row.name,
      schema: row.schema,
      isView: row.type === 'VIEW',
      columns: [],
    }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
