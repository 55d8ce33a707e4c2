// A real bundle from the local Sigstore stack, attached to an image in docker-registry and read back:
// the bytes survive the trip, so what verify mode reads from a registry still verifies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { startDockerRegistry, type DockerRegistry } from '../../testkit/registry/docker-registry.ts';
import { pushTestImage } from '../../testkit/registry/images.ts';
import { signStatement } from '../../testkit/sign.ts';
import { verifyBundle } from '../testkit/helpers.ts';
import { PREDICATE, registryClient } from './helpers.ts';
import { trustCopies } from '../../testkit/copies.ts';

describe('a signed bundle through a registry', () => {
  let services: LocalServices;
  let registry: DockerRegistry;
  before(async () => {
    [services, registry] = await Promise.all([startLocalServices(), startDockerRegistry()]);
  });
  after(() => Promise.all([services.stop(), registry.stop()]));

  it('attaches a bundle for the image and reads back one that verifies', async () => {
    const image = await pushTestImage(registry.url, 'signed/app', '1.0.0');
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: `${registry.host}/signed/app`, digest: { sha256: image.digest.slice('sha256:'.length) } }],
      predicateType: PREDICATE,
      predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' } },
    };
    const bundle = await signStatement(services, statement);
    const client = await registryClient();
    const { via } = await client.attachBundle(`${registry.host}/signed/app:1.0.0`, bundle, PREDICATE, trustCopies);
    assert.equal(via, 'tag-fallback');
    const [read, ...rest] = await client.listBundles(`${registry.host}/signed/app:1.0.0`);
    assert.deepEqual(rest, []);
    assert.deepEqual(read?.json, bundle);
    verifyBundle(read?.json, services.sigstore.trustedRoot, services.issuer, true);
  });
});
