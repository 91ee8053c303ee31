import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.js';
import { DEFAULT_SCOPES } from '../../src/config/schema.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** An empty working directory of the test's own: no config file unless the test writes one. */
function emptyCwd(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-config-'));
  dirs.push(dir);
  return dir;
}

/** A working directory holding `portcullis.config.json` with the given text. */
function cwdWithConfigFile(text: string, name = 'portcullis.config.json'): string {
  const dir = emptyCwd();
  writeFileSync(join(dir, name), text);
  return dir;
}

/** Asserts `fn` throws a one-line ConfigError and returns its message. */
function configErrorOf(fn: () => unknown): string {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  assert.equal(caught.name, 'ConfigError');
  assert.doesNotMatch(caught.message, /\n/, 'the message is one line');
  return caught.message;
}

describe('defaults', () => {
  test('an empty environment and no config file give the documented defaults', () => {
    const config = loadConfig({ env: {}, cwd: emptyCwd() });
    assert.equal(config.port, 8000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.issuer, 'http://127.0.0.1:8000');
    assert.equal(config.accessTokenExpireMinutes, 60);
    assert.equal(config.refreshTokenExpireDays, 30);
    assert.equal(config.requirePkce, true);
    assert.equal(config.enforceHttps, false);
    assert.equal(config.databaseUrl, 'sqlite:storage/portcullis.db');
    assert.equal(config.signingAlgorithm, 'RS256');
    assert.equal(config.trustProxy, false);
    assert.deepEqual(config.scopes, DEFAULT_SCOPES);
    assert.deepEqual(config.defaultScopes, []);
  });

  test('parseConfig of an empty object gives the same defaults as loadConfig', () => {
    assert.deepEqual(parseConfig({}), loadConfig({ env: {}, cwd: emptyCwd() }));
  });

  test('the issuer is derived from host and port, with a wildcard host shown as 127.0.0.1', () => {
    assert.equal(
      parseConfig({ host: 'auth.internal', port: 9443 }).issuer,
      'http://auth.internal:9443',
    );
    const wildcard = parseConfig({ host: '0.0.0.0', port: 8080 });
    assert.equal(wildcard.issuer, 'http://127.0.0.1:8080');
    assert.equal(wildcard.host, '0.0.0.0', 'the server still binds every interface');
    assert.equal(parseConfig({ host: '::' }).issuer, 'http://127.0.0.1:8000');
  });

  test('an explicit issuer wins over the derived one and loses its trailing slashes', () => {
    const config = parseConfig({ issuer: 'https://auth.example.com/', port: 9000 });
    assert.equal(config.issuer, 'https://auth.example.com');
  });
});

describe('environment variables', () => {
  test('the seed names set their keys', () => {
    const config = loadConfig({
      cwd: emptyCwd(),
      env: {
        OAUTH2_ACCESS_TOKEN_EXPIRE_MINUTES: '15',
        OAUTH2_REFRESH_TOKEN_EXPIRE_DAYS: '7',
        OAUTH2_REQUIRE_PKCE: 'false',
        OAUTH2_ENFORCE_HTTPS: 'true',
        DATABASE_URL: 'postgres://portcullis@db.internal:5432/portcullis',
        PORT: '9100',
        HOST: '0.0.0.0',
      },
    });
    assert.equal(config.accessTokenExpireMinutes, 15);
    assert.equal(config.refreshTokenExpireDays, 7);
    assert.equal(config.requirePkce, false);
    assert.equal(config.enforceHttps, true);
    assert.equal(config.databaseUrl, 'postgres://portcullis@db.internal:5432/portcullis');
    assert.equal(config.port, 9100);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.issuer, 'http://127.0.0.1:9100');
  });

  test('the PORTCULLIS_ names set their keys', () => {
    const config = loadConfig({
      cwd: emptyCwd(),
      env: {
        PORTCULLIS_ACCESS_TOKEN_EXPIRE_MINUTES: '5',
        PORTCULLIS_REFRESH_TOKEN_EXPIRE_DAYS: '90',
        PORTCULLIS_REQUIRE_PKCE: 'no',
        PORTCULLIS_ENFORCE_HTTPS: '1',
        PORTCULLIS_DATABASE_URL: 'sqlite:/var/lib/portcullis/db.sqlite',
        PORTCULLIS_PORT: '9200',
        PORTCULLIS_HOST: 'auth.internal',
        PORTCULLIS_ISSUER: 'https://auth.example.com/',
        PORTCULLIS_SIGNING_ALGORITHM: 'EdDSA',
        PORTCULLIS_LOG_LEVEL: 'warn',
        PORTCULLIS_TRUST_PROXY: '10.0.0.1, 10.0.0.0/8',
      },
    });
    assert.equal(config.accessTokenExpireMinutes, 5);
    assert.equal(config.refreshTokenExpireDays, 90);
    assert.equal(config.requirePkce, false);
    assert.equal(config.enforceHttps, true);
    assert.equal(config.databaseUrl, 'sqlite:/var/lib/portcullis/db.sqlite');
    assert.equal(config.port, 9200);
    assert.equal(config.host, 'auth.internal');
    assert.equal(config.issuer, 'https://auth.example.com');
    assert.equal(config.signingAlgorithm, 'EdDSA');
    assert.equal(config.logLevel, 'warn');
    assert.deepEqual(config.trustProxy, ['10.0.0.1', '10.0.0.0/8']);
  });

  test('a PORTCULLIS_ name wins over the seed name for the same key', () => {
    const config = loadConfig({
      cwd: emptyCwd(),
      env: {
        PORT: '9100',
        PORTCULLIS_PORT: '9200',
        OAUTH2_REQUIRE_PKCE: 'false',
        PORTCULLIS_REQUIRE_PKCE: 'true',
      },
    });
    assert.equal(config.port, 9200);
    assert.equal(config.requirePkce, true);
  });

  test('booleans accept true/false, 1/0, yes/no and on/off in any case', () => {
    const cwd = emptyCwd();
    const pkce = (value: string) =>
      loadConfig({ cwd, env: { OAUTH2_REQUIRE_PKCE: value } }).requirePkce;
    for (const value of ['true', 'TRUE', '1', 'yes', 'On', ' true ']) {
      assert.equal(pkce(value), true, value);
    }
    for (const value of ['false', 'False', '0', 'no', 'OFF']) {
      assert.equal(pkce(value), false, value);
    }
  });

  test('an empty variable is ignored and the default stays', () => {
    const config = loadConfig({ cwd: emptyCwd(), env: { PORT: '', OAUTH2_REQUIRE_PKCE: '' } });
    assert.equal(config.port, 8000);
    assert.equal(config.requirePkce, true);
  });

  test('an escaped newline in a PEM variable becomes a real newline', () => {
    const config = loadConfig({
      cwd: emptyCwd(),
      env: { OAUTH2_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nMC4C\\n-----END PRIVATE KEY-----' },
    });
    assert.equal(
      config.privateKeyPem,
      '-----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY-----',
    );
  });
});

describe('precedence: defaults → config file → environment → overrides', () => {
  const file = JSON.stringify({ port: 9000, accessTokenExpireMinutes: 15, requirePkce: false });

  test('the config file in cwd overrides the defaults', () => {
    const config = loadConfig({ env: {}, cwd: cwdWithConfigFile(file) });
    assert.equal(config.port, 9000);
    assert.equal(config.accessTokenExpireMinutes, 15);
    assert.equal(config.requirePkce, false);
    assert.equal(config.refreshTokenExpireDays, 30, 'keys the file leaves out keep their default');
    assert.equal(config.issuer, 'http://127.0.0.1:9000');
  });

  test('the environment overrides the config file', () => {
    const config = loadConfig({
      cwd: cwdWithConfigFile(file),
      env: { PORT: '9100', OAUTH2_REQUIRE_PKCE: 'true' },
    });
    assert.equal(config.port, 9100);
    assert.equal(config.requirePkce, true);
    assert.equal(
      config.accessTokenExpireMinutes,
      15,
      'keys the environment leaves out come from the file',
    );
    assert.equal(config.issuer, 'http://127.0.0.1:9100');
  });

  test('overrides win over the environment and the config file', () => {
    const config = loadConfig({
      cwd: cwdWithConfigFile(file),
      env: { PORT: '9100', OAUTH2_ACCESS_TOKEN_EXPIRE_MINUTES: '30' },
      overrides: { port: 9200 },
    });
    assert.equal(config.port, 9200);
    assert.equal(config.accessTokenExpireMinutes, 30);
    assert.equal(config.requirePkce, false);
  });

  test('the file option and PORTCULLIS_CONFIG choose another file, relative to cwd', () => {
    const cwd = cwdWithConfigFile(JSON.stringify({ port: 9300 }), 'other.json');
    writeFileSync(join(cwd, 'portcullis.config.json'), JSON.stringify({ port: 9000 }));
    assert.equal(loadConfig({ env: {}, cwd, file: 'other.json' }).port, 9300);
    assert.equal(loadConfig({ env: { PORTCULLIS_CONFIG: 'other.json' }, cwd }).port, 9300);
  });
});

describe('invalid configuration', () => {
  test('OAUTH2_REQUIRE_PKCE=maybe is rejected naming the variable', () => {
    const message = configErrorOf(() =>
      loadConfig({ cwd: emptyCwd(), env: { OAUTH2_REQUIRE_PKCE: 'maybe' } }),
    );
    assert.match(message, /OAUTH2_REQUIRE_PKCE/);
    assert.match(message, /maybe/);
  });

  test('PORT=abc is rejected naming the variable', () => {
    const message = configErrorOf(() => loadConfig({ cwd: emptyCwd(), env: { PORT: 'abc' } }));
    assert.match(message, /\bPORT\b/);
    assert.match(message, /abc/);
  });

  test('a port out of range is rejected naming the variable', () => {
    const message = configErrorOf(() => loadConfig({ cwd: emptyCwd(), env: { PORT: '70000' } }));
    assert.match(message, /\bPORT\b/);
    assert.match(message, /65535/);
  });

  test('a zero token lifetime is rejected naming the seed variable', () => {
    const message = configErrorOf(() =>
      loadConfig({ cwd: emptyCwd(), env: { OAUTH2_ACCESS_TOKEN_EXPIRE_MINUTES: '0' } }),
    );
    assert.match(message, /OAUTH2_ACCESS_TOKEN_EXPIRE_MINUTES/);
  });

  test('PORTCULLIS_SIGNING_ALGORITHM=HS256 is rejected naming the variable and the allowed values', () => {
    const message = configErrorOf(() =>
      loadConfig({ cwd: emptyCwd(), env: { PORTCULLIS_SIGNING_ALGORITHM: 'HS256' } }),
    );
    assert.match(message, /PORTCULLIS_SIGNING_ALGORITHM/);
    assert.match(message, /HS256/);
    for (const allowed of ['RS256', 'ES256', 'EdDSA']) assert.match(message, new RegExp(allowed));
  });

  test('an issuer that is not a URL is rejected naming the variable', () => {
    const message = configErrorOf(() =>
      loadConfig({ cwd: emptyCwd(), env: { PORTCULLIS_ISSUER: 'not a url' } }),
    );
    assert.match(message, /PORTCULLIS_ISSUER/);
  });

  for (const issuer of [
    'https://auth.example/?tenant=1',
    'https://auth.example/#f',
    'https://user:pw@auth.example',
    'ftp://auth.example',
  ]) {
    test(`an issuer with a query, fragment, credentials or another scheme is rejected: ${issuer}`, () => {
      const message = configErrorOf(() =>
        loadConfig({ cwd: emptyCwd(), env: { PORTCULLIS_ISSUER: issuer } }),
      );
      assert.match(message, /PORTCULLIS_ISSUER/);
    });
  }

  test('a lifetime too long to be a date is rejected naming the variable', () => {
    const message = configErrorOf(() =>
      loadConfig({
        cwd: emptyCwd(),
        env: { PORTCULLIS_PERSONAL_ACCESS_TOKEN_EXPIRE_DAYS: '100000000' },
      }),
    );
    assert.match(message, /PORTCULLIS_PERSONAL_ACCESS_TOKEN_EXPIRE_DAYS/);
  });

  test('only the PEM turns `\\n` into a newline; other settings keep their backslashes', () => {
    const config = loadConfig({
      cwd: emptyCwd(),
      env: { PORTCULLIS_STORAGE_DIR: 'C:\\new\\dir' },
    });
    assert.equal(config.storageDir, 'C:\\new\\dir');
  });

  test('an unknown key in the config file is rejected naming the key', () => {
    const cwd = cwdWithConfigFile(JSON.stringify({ port: 9000, requirePKCE: false }));
    const message = configErrorOf(() => loadConfig({ env: {}, cwd }));
    assert.match(message, /requirePKCE/);
  });

  test('a wrong type in the config file is rejected naming the key', () => {
    const cwd = cwdWithConfigFile(JSON.stringify({ requirePkce: 'false' }));
    const message = configErrorOf(() => loadConfig({ env: {}, cwd }));
    assert.match(message, /requirePkce/);
  });

  test('a config file that is not valid JSON is rejected naming its path', () => {
    const cwd = cwdWithConfigFile('{ "port": 9000, }');
    const message = configErrorOf(() => loadConfig({ env: {}, cwd }));
    assert.ok(message.includes(join(cwd, 'portcullis.config.json')), message);
  });

  test('a config file that is valid JSON but not an object is rejected naming its path', () => {
    for (const text of ['null', '[]', '"port"', '9000']) {
      const cwd = cwdWithConfigFile(text);
      const message = configErrorOf(() => loadConfig({ env: {}, cwd }));
      assert.ok(message.includes(join(cwd, 'portcullis.config.json')), `${text}: ${message}`);
    }
  });

  test('a config file named explicitly but missing is rejected naming its path', () => {
    const cwd = emptyCwd();
    const message = configErrorOf(() => loadConfig({ env: {}, cwd, file: 'missing.json' }));
    assert.ok(message.includes(join(cwd, 'missing.json')), message);
    const viaEnv = configErrorOf(() =>
      loadConfig({ env: { PORTCULLIS_CONFIG: 'missing.json' }, cwd }),
    );
    assert.ok(viaEnv.includes(join(cwd, 'missing.json')), viaEnv);
  });

  test('parseConfig rejects an invalid value naming the config key and the value', () => {
    const message = configErrorOf(() => parseConfig({ logLevel: 'loud' }));
    assert.match(message, /logLevel/);
    assert.match(message, /loud/);
  });
});
