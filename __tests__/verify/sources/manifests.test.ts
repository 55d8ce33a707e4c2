import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imagesInManifest, isTemplated } from '../../../src/verify/sources/manifests.ts';

const K8S = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: "ghcr.io/octo-org/migrate@sha256:${'a'.repeat(64)}"
      containers:
        - name: app
          image: ghcr.io/octo-org/app:v1.2.0  # pinned by CI
        - image: 'docker.io/library/nginx:1.27'
          name: proxy
---
apiVersion: v1
kind: Pod
spec:
  containers:
  - image: registry.example.com:5000/team/tool
    name: tool
    # image: commented-out/not-this
    env:
      - name: IMAGE
        value: "image: not-a-key"
`;

const COMPOSE = `services:\r\n  web:\r\n    image: \${REGISTRY}/web:\${TAG}\r\n  db:\r\n    image: postgres:16\r\n`;

describe('imagesInManifest', () => {
  it('finds every container image of a Kubernetes file, with its line', () => {
    assert.deepEqual(imagesInManifest(K8S, 'deploy.yaml'), [
      { image: `ghcr.io/octo-org/migrate@sha256:${'a'.repeat(64)}`, file: 'deploy.yaml', line: 8 },
      { image: 'ghcr.io/octo-org/app:v1.2.0', file: 'deploy.yaml', line: 11 },
      { image: 'docker.io/library/nginx:1.27', file: 'deploy.yaml', line: 12 },
      { image: 'registry.example.com:5000/team/tool', file: 'deploy.yaml', line: 19 },
    ]);
  });
  it('reads Compose files with CRLF line ends, keeping templated references for the caller to report', () => {
    const uses = imagesInManifest(COMPOSE, 'compose.yml');
    assert.deepEqual(
      uses.map((u) => [u.image, u.line]),
      [
        ['${REGISTRY}/web:${TAG}', 3],
        ['postgres:16', 5],
      ],
    );
    assert.deepEqual(
      uses.map((u) => isTemplated(u.image)),
      [true, false],
    );
  });
  it('finds nothing in a file without images', () => {
    assert.deepEqual(imagesInManifest('kind: ConfigMap\ndata:\n  image_tag: "1"\n', 'cm.yaml'), []);
  });
});
