// WWW-Authenticate parsing: the shapes registries actually send.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChallenge } from '../../src/registry/challenge.ts';

describe('parseChallenge', () => {
  it('reads a Docker Hub style Bearer challenge', () => {
    assert.deepEqual(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"',
      ),
      {
        scheme: 'bearer',
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/ubuntu:pull',
      },
    );
  });
  it('reads Bearer without service or scope, unquoted values, and odd spacing', () => {
    assert.deepEqual(parseChallenge('bearer  realm=https://r.example/token'), {
      scheme: 'bearer',
      realm: 'https://r.example/token',
      service: undefined,
      scope: undefined,
    });
  });
  it('keeps commas and escaped quotes inside quoted values', () => {
    const c = parseChallenge('Bearer realm="https://r/t",scope="repository:a:pull,push",service="a \\"b\\""');
    assert.deepEqual(c, { scheme: 'bearer', realm: 'https://r/t', service: 'a "b"', scope: 'repository:a:pull,push' });
  });
  it('reads Basic, and prefers Bearer when both are offered', () => {
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic' });
    assert.equal(parseChallenge('Basic realm="x", Bearer realm="https://t/token"')?.scheme, 'bearer');
  });
  it('ignores what it cannot use', () => {
    assert.equal(parseChallenge(null), undefined);
    assert.equal(parseChallenge(''), undefined);
    assert.equal(parseChallenge('Negotiate'), undefined);
    assert.equal(parseChallenge('Bearer service="x"'), undefined);
  });
});
