import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configSchema } from '../../src/config/schema.js';
import { ENVIRONMENT_VARIABLES } from '../../src/config/environment.js';
import { OAUTH_ERROR_CODES } from '../../src/core/oauth/errors.js';
import { API_KEY_FAILURE_CODES } from '../../src/core/apikeys/verify-api-key.js';
import { GUARD_ERROR_CODES } from '../../src/guard/errors.js';
import { MAIL_LIMIT_EXCEEDED } from '../../src/core/ratelimit/mail-limits.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test('docs/configuration.md documents every config key and every environment variable', () => {
  const doc = read('docs/configuration.md');
  for (const key of Object.keys(configSchema.shape))
    assert.ok(doc.includes(`\`${key}\``), `config key ${key} is missing`);
  for (const variable of ENVIRONMENT_VARIABLES) {
    for (const name of variable.names)
      assert.ok(doc.includes(`\`${name}\``), `environment variable ${name} is missing`);
  }
});

test('docs/errors.md documents every OAuth, API-key, guard and auth-API error code', () => {
  const doc = read('docs/errors.md');
  for (const code of [
    ...OAUTH_ERROR_CODES,
    ...API_KEY_FAILURE_CODES,
    ...GUARD_ERROR_CODES,
    'rate_limit_exceeded',
    MAIL_LIMIT_EXCEEDED,
    'not_found',
    'conflict',
  ])
    assert.ok(doc.includes(`\`${code}\``), `error code ${code} is missing`);
});

test('the README shows the two commands', () => {
  const readme = read('README.md');
  assert.ok(readme.includes('npm ci && npm start'));
  assert.ok(readme.includes('npm ci && npm test'));
});

test('docs/cli.md has a section for every command and names every option', async () => {
  const { buildProgram } = await import('../../src/cli/program.js');
  const doc = read('docs/cli.md');
  for (const command of buildProgram().commands) {
    const heading = `\n## ${command.name()}\n`;
    assert.ok(doc.includes(heading), `section for ${command.name()} is missing`);
    const section = doc.slice(doc.indexOf(heading) + heading.length).split('\n## ')[0]!;
    for (const option of command.options) {
      const flag = option.negate ? option.long!.replace(/^--no-/, '--') : option.long!;
      assert.ok(
        section.includes(option.long!) || section.includes(flag),
        `${command.name()}: option ${option.long} is not documented in its section`,
      );
    }
  }
});
