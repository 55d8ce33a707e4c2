// Which login the Docker config gives each registry: auths (inline), credHelpers, credsStore, in
// Docker's order, with helpers run as Docker runs them. Secrets never appear in errors.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ProvenanceError } from '../../src/common/errors.ts';
import { dockerCredentials } from '../../src/registry/credentials.ts';
import { dockerConfigDir } from './helpers.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('dockerCredentials', () => {
  let bin: string;
  before(async () => {
    // Helpers: "a" knows ghcr.io; "token" answers an identity token; "broken" fails; "nothing" has nothing.
    bin = await mkdtemp(path.join(os.tmpdir(), 'helpers-'));
    const helpers: Record<string, string> = {
      a: `read -r s; [ "$s" = ghcr.io ] && echo '{"ServerURL":"ghcr.io","Username":"helper-user","Secret":"helper-secret"}' && exit 0; echo "credentials not found in native keychain"; exit 1`,
      token: `read -r s; echo '{"ServerURL":"x","Username":"<token>","Secret":"refresh-token"}'`,
      broken: `echo "keychain locked" >&2; exit 3`,
      nothing: `echo "credentials not found in native keychain"; exit 1`,
      hub: `read -r s; echo "{\\"Username\\":\\"hub\\",\\"Secret\\":\\"$s\\"}"`,
    };
    for (const [name, body] of Object.entries(helpers)) {
      const file = path.join(bin, `docker-credential-${name}`);
      await writeFile(file, `#!/bin/sh\n${body}\n`);
      await chmod(file, 0o755);
    }
  });
  const store = async (config?: object) => {
    const dir = await dockerConfigDir(config);
    return { dir, creds: dockerCredentials({ DOCKER_CONFIG: dir, PATH: `${bin}:${process.env['PATH'] ?? ''}` }) };
  };

  it('is anonymous without a config file, and names where it looked', async () => {
    const { dir, creds } = await store();
    assert.equal(await creds.forRegistry('ghcr.io'), undefined);
    assert.equal(creds.location, path.join(dir, 'config.json'));
  });

  it('reads auths keyed by host or URL: base64 auth, username/password, identitytoken', async () => {
    const { dir, creds } = await store({
      auths: {
        'https://ghcr.io': { auth: b64('octo:p:a:ss') },
        'registry.example.com/v2/': { username: 'u', password: 'p' },
        'id.example.com': { identitytoken: 'refresh' },
        'https://index.docker.io/v1/': { auth: b64('hubuser:hubpass') },
        'empty.example.com': {},
      },
    });
    const source = `auths in ${path.join(dir, 'config.json')}`;
    assert.deepEqual(await creds.forRegistry('ghcr.io'), {
      username: 'octo',
      password: 'p:a:ss',
      identityToken: undefined,
      source,
    });
    assert.deepEqual(await creds.forRegistry('registry.example.com'), {
      username: 'u',
      password: 'p',
      identityToken: undefined,
      source,
    });
    assert.deepEqual(await creds.forRegistry('id.example.com'), {
      username: '',
      password: '',
      identityToken: 'refresh',
      source,
    });
    assert.equal((await creds.forRegistry('docker.io'))?.username, 'hubuser');
    assert.equal(await creds.forRegistry('empty.example.com'), undefined);
    assert.equal(await creds.forRegistry('other.example.com'), undefined);
  });

  it('asks credHelpers first, then credsStore, then auths', async () => {
    const { creds } = await store({
      auths: { 'ghcr.io': { auth: b64('inline:secret') }, 'quay.io': { auth: b64('q:q') } },
      credHelpers: { 'ghcr.io': 'a', 'id.example.com': 'token' },
      credsStore: 'nothing',
    });
    assert.deepEqual(await creds.forRegistry('ghcr.io'), {
      username: 'helper-user',
      password: 'helper-secret',
      identityToken: undefined,
      source: 'docker-credential-a',
    });
    assert.deepEqual(await creds.forRegistry('id.example.com'), {
      username: '',
      password: '',
      identityToken: 'refresh-token',
      source: 'docker-credential-token',
    });
    // The store has nothing for quay.io: the inline entry is used.
    assert.equal((await creds.forRegistry('quay.io'))?.username, 'q');
    assert.equal(await creds.forRegistry('nowhere.example.com'), undefined);
  });

  it('gives a helper Docker Hub’s v1 index URL as the server', async () => {
    const { creds } = await store({ credsStore: 'hub' });
    assert.equal((await creds.forRegistry('docker.io'))?.password, 'https://index.docker.io/v1/');
  });

  it('names a failing helper, its exit and its message, but no secret', async () => {
    const { dir, creds } = await store({ credHelpers: { 'ghcr.io': 'broken', 'x.io': '../evil' } });
    await assert.rejects(creds.forRegistry('ghcr.io'), (e: unknown) => {
      assert.ok(e instanceof ProvenanceError && e.code === 'REGISTRY_AUTH_FAILED');
      assert.equal(
        e.message,
        `credential helper docker-credential-broken (from ${path.join(dir, 'config.json')}) exited with 3 (keychain locked) for ghcr.io`,
      );
      return true;
    });
    await assert.rejects(creds.forRegistry('x.io'), /has an unusable name "..\/evil"/);
  });

  it('refuses a config that is not JSON, or an auth that is not username:password, without echoing it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'docker-config-'));
    await writeFile(path.join(dir, 'config.json'), '{"auths": {"ghcr.io": {"auth": "c2VjcmV0"}}}');
    await assert.rejects(dockerCredentials({ DOCKER_CONFIG: dir }).forRegistry('ghcr.io'), (e: unknown) => {
      assert.ok(e instanceof ProvenanceError && e.code === 'REGISTRY_AUTH_FAILED');
      assert.match(e.message, /has an "auth" for "ghcr.io" that is not base64 of username:password$/);
      assert.ok(!e.toLine().includes('c2VjcmV0') && !e.toLine().includes('secret'));
      return true;
    });
    await writeFile(path.join(dir, 'config.json'), '{"auths": ');
    await assert.rejects(
      dockerCredentials({ DOCKER_CONFIG: dir }).forRegistry('ghcr.io'),
      (e: unknown) => e instanceof ProvenanceError && e.message === `Docker config ${dir}/config.json is not JSON`,
    );
  });

  it('hands every secret to the mask callback', async () => {
    const masked: string[] = [];
    const dir = await dockerConfigDir({
      auths: { 'ghcr.io': { auth: b64('octo:hunter2') }, 'id.io': { identitytoken: 'idt' } },
    });
    const creds = dockerCredentials({ DOCKER_CONFIG: dir }, (s) => masked.push(s));
    await creds.forRegistry('ghcr.io');
    await creds.forRegistry('id.io');
    assert.deepEqual(masked, ['hunter2', 'idt']);
  });
});
