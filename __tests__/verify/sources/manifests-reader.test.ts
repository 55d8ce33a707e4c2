// The manifest reader against the YAML a deployment can be written in: every workload kind, Lists,
// Compose, the spellings a line reader missed, and each case that must fail closed with file and line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvenanceError } from '../../../src/common/errors.ts';
import { imagesInManifest } from '../../../src/verify/sources/manifests.ts';

const found = (text: string, file = 'm.yaml'): [string, number][] =>
  imagesInManifest(text, file).map((u) => [u.image, u.line]);

/** A pod spec at `indent`, one container of each list, images named after `tag`. */
const podSpec = (indent: string, tag: string): string =>
  [
    `containers:`,
    `  - name: app`,
    `    image: reg.example/${tag}/app:1`,
    `initContainers:`,
    `  - name: init`,
    `    image: reg.example/${tag}/init:1`,
    `ephemeralContainers:`,
    `  - name: debug`,
    `    image: reg.example/${tag}/debug:1`,
  ]
    .map((l) => `${indent}${l}`)
    .join('\n');

describe('imagesInManifest: every workload kind', () => {
  const kinds: [string, string, string][] = [
    ['v1', 'Pod', `spec:\n${podSpec('  ', 'pod')}`],
    ['v1', 'PodTemplate', `template:\n  spec:\n${podSpec('    ', 'podtemplate')}`],
    ['v1', 'ReplicationController', `spec:\n  template:\n    spec:\n${podSpec('      ', 'rc')}`],
    ['apps/v1', 'Deployment', `spec:\n  template:\n    spec:\n${podSpec('      ', 'deployment')}`],
    ['apps/v1', 'StatefulSet', `spec:\n  template:\n    spec:\n${podSpec('      ', 'statefulset')}`],
    ['apps/v1', 'DaemonSet', `spec:\n  template:\n    spec:\n${podSpec('      ', 'daemonset')}`],
    ['apps/v1', 'ReplicaSet', `spec:\n  template:\n    spec:\n${podSpec('      ', 'replicaset')}`],
    ['batch/v1', 'Job', `spec:\n  template:\n    spec:\n${podSpec('      ', 'job')}`],
    [
      'batch/v1',
      'CronJob',
      `spec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${podSpec('          ', 'cronjob')}`,
    ],
  ];
  for (const [apiVersion, kind, body] of kinds) {
    it(`${kind}: containers, initContainers and ephemeralContainers, each on its line`, () => {
      const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n  annotations:\n    image: not-run/annotation\n${body}\n`;
      const lines = text.split('\n');
      const uses = found(text);
      assert.equal(uses.length, 3);
      for (const [image, line] of uses)
        assert.match(lines[line - 1] ?? '', new RegExp(`image: ${image.replace(/[./]/g, '\\$&')}$`));
      assert.deepEqual(
        uses.map(([image]) => image.split('/')[2]),
        ['app:1', 'init:1', 'debug:1'],
      );
    });
  }

  it('reads every document of a multi-document file, with lines counted across documents', () => {
    const text = `apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: one}]\n---\n# second\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - {name: b, image: two}\n...\n`;
    assert.deepEqual(found(text), [
      ['one', 4],
      ['two', 14],
    ]);
  });

  it('a pod template without containers runs nothing', () => {
    assert.deepEqual(found('apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 0\n'), []);
  });
});

describe('imagesInManifest: Lists', () => {
  it('reads the items of a List, and of Lists inside it, as kubectl flattens them', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    spec:\n      containers:\n        - name: a\n          image: outer\n  - apiVersion: v1\n    kind: List\n    items:\n      - apiVersion: batch/v1\n        kind: Job\n        spec:\n          template:\n            spec:\n              containers:\n                - name: b\n                  image: inner\n`;
    assert.deepEqual(found(text), [
      ['outer', 9],
      ['inner', 20],
    ]);
  });
  it('reads any object with items as a List (kubectl does: DeploymentList, or no kind at all)', () => {
    assert.deepEqual(
      found(
        'apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  spec: {template: {spec: {containers: [{name: a, image: listed}]}}}\n',
      ),
      [['listed', 6]],
    );
    assert.deepEqual(
      found('items:\n- {apiVersion: v1, kind: Pod, spec: {containers: [{name: a, image: kindless}]}}\n'),
      [['kindless', 2]],
    );
  });
  it('reads JSON Lists', () => {
    const json = JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [{ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image: 'from-json' }] } }],
      },
      null,
      2,
    );
    assert.deepEqual(found(json, 'list.json'), [
      ['from-json', json.split('\n').findIndex((l) => l.includes('"from-json"')) + 1],
    ]);
  });
});

describe('imagesInManifest: Compose', () => {
  it('reads services.<name>.image, and nothing outside services (x- extensions do not run)', () => {
    const text =
      'x-defaults: &defaults\n  image: registry.example/base:1\n  restart: always\nservices:\n  web:\n    image: registry.example/web:1\n  worker:\n    <<: *defaults\n  cron: *defaults\n';
    assert.deepEqual(found(text, 'compose.yaml'), [
      ['registry.example/base:1', 2],
      ['registry.example/web:1', 6],
    ]);
  });
  it('refuses a service that names no image (build:, extends:), and include:', () => {
    refuses('services:\n  web:\n    build: .\n', 2, /the service "web" names no image/);
    refuses('services:\n  web:\n    extends: {file: base.yml, service: web}\n', 2, /the service "web" names no image/);
    refuses(
      'include:\n  - other.yaml\nservices:\n  web: {image: a}\n',
      1,
      /include:, which adds services from other files/,
    );
  });
});

describe('imagesInManifest: spellings a line reader missed', () => {
  const cases: [string, string, [string, number][]][] = [
    [
      'the value on the next line',
      'kind: Pod\napiVersion: v1\nspec:\n  containers:\n    - name: a\n      image:\n        hidden/next-line:1\n',
      [['hidden/next-line:1', 7]],
    ],
    [
      'a flow mapping',
      'kind: Pod\napiVersion: v1\nspec:\n  containers:\n    - {name: a, image: hidden/flow:1}\n',
      [['hidden/flow:1', 5]],
    ],
    [
      'a !!str tag',
      'kind: Pod\napiVersion: v1\nspec:\n  containers:\n    - name: a\n      image: !!str hidden/tagged:1\n',
      [['hidden/tagged:1', 6]],
    ],
    [
      'an anchor and an alias',
      'kind: Pod\napiVersion: v1\nspec:\n  initContainers:\n    - &c\n      name: a\n      image: &img hidden/anchored:1\n  containers:\n    - *c\n    - name: b\n      image: *img\n',
      [['hidden/anchored:1', 7]],
    ],
    [
      'a merge key',
      'kind: Pod\napiVersion: v1\nspec:\n  containers:\n    - name: a\n      <<: {image: hidden/merged:1}\n',
      [['hidden/merged:1', 6]],
    ],
    [
      'a quoted key',
      'kind: Pod\napiVersion: v1\nspec:\n  containers:\n    - "name": a\n      "image": "hidden/quoted-key:1"\n',
      [['hidden/quoted-key:1', 6]],
    ],
    [
      'CR line breaks',
      'kind: Pod\rapiVersion: v1\rspec:\r  containers:\r    - name: a\r      image: hidden/cr:1\r',
      [['hidden/cr:1', 6]],
    ],
    [
      'a block scalar',
      'kind: Pod\napiVersion: v1\nspec:\n  containers:\n    - name: a\n      image: >-\n        hidden/folded:1\n',
      [['hidden/folded:1', 6]],
    ],
    [
      'JSON on one line',
      '{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"a","image":"hidden\\/json:1"}]}}',
      [['hidden/json:1', 1]],
    ],
  ];
  for (const [label, text, expected] of cases) {
    it(label, () => assert.deepEqual(found(text), expected));
  }
});

function refuses(text: string, line: number, message: RegExp, file = 'm.yaml'): void {
  assert.throws(
    () => imagesInManifest(text, file),
    (err: unknown) =>
      err instanceof ProvenanceError &&
      err.code === 'INPUT_INVALID' &&
      err.message.startsWith(`manifests: ${file}:${line}: `) &&
      message.test(err.message),
  );
}

describe('imagesInManifest: fails closed, naming file and line', () => {
  const pod = (container: string): string =>
    `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n${container}\n`;
  const cases: [string, string, number, RegExp][] = [
    [
      'a document that does not parse',
      'kind: Pod\n---\nspec:\n  containers: a: b\nmore: x\n',
      4,
      /not YAML that every reader takes the same way \(Nested mappings/,
    ],
    ['a duplicate key', pod('      image: a\n      image: b'), 7, /unique/],
    ['a number for an image', pod('      image: 1.5'), 6, /the image of the container "a" is not a plain string/],
    ['a YAML 1.1 boolean for an image', pod('      image: yes'), 6, /not a plain string/],
    ['a mapping for an image', pod('      image: {repository: a, tag: b}'), 6, /not a plain string/],
    ['a list for an image', pod('      image: [a]'), 6, /not a plain string/],
    ['a null image', pod('      image:'), 6, /the container "a" names no image/],
    ['a container without an image', pod('      command: [sh]'), 5, /the container "a" names no image/],
    ['an image with white space around it', pod('      image: " a:1"'), 6, /white space around it/],
    [
      'an image as !!binary (a string to go-yaml)',
      pod('      image: !!binary aGlkZGVu'),
      6,
      /the tag tag:yaml\.org,2002:binary/,
    ],
    [
      'a key as !!binary',
      'apiVersion: v1\nkind: Pod\n!!binary c3BlYw==: {containers: [{name: a, image: b}]}\n',
      3,
      /the tag tag:yaml\.org,2002:binary/,
    ],
    ['a local tag', pod('      image: !secret a'), 6, /tag/],
    ['a %YAML 1.2 directive', '%YAML 1.2\n---\napiVersion: v1\nkind: Pod\n', 2, /%YAML 1\.2 directive/],
    ['a NEL line break', 'apiVersion: v1\nkind: Pod\u0085spec: {}', 2, /U\+0085/],
    ['an LS line break', 'apiVersion: v1\nkind: Pod\n  # \u2028image: x\n', 3, /U\+2028/],
    [
      'a key Go reads as image',
      pod('      Image: hidden'),
      6,
      /the key "Image", which older Kubernetes API servers read as "image"/,
    ],
    [
      'a key Go reads as spec (long s)',
      'apiVersion: v1\nkind: Pod\n\u017Fpec:\n  containers: []\n',
      3,
      /read as "spec"/,
    ],
    ['a key Go reads as containers', 'apiVersion: v1\nkind: Pod\nspec:\n  CONTAINERS: []\n', 4, /read as "containers"/],
    [
      'containers that are not a list',
      'apiVersion: v1\nkind: Pod\nspec:\n  containers: {name: a}\n',
      4,
      /containers is not a list/,
    ],
    [
      'a container that is not a mapping',
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - a\n',
      5,
      /containers\[0\] is not a container/,
    ],
    [
      'a spec that is not a mapping',
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template: x\n',
      4,
      /Deployment spec\.template is not a mapping/,
    ],
    ['items that are not a list', 'apiVersion: v1\nkind: List\nitems: {a: b}\n', 3, /"items" that is not a list/],
    ['a merge of something not a mapping', pod('      <<: a'), 6, /merge key/],
    [
      'a kustomization',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: app\n    newName: evil\n',
      1,
      /kustomization/,
    ],
    ['a mapping as a key', 'apiVersion: v1\nkind: Pod\n? [spec]\n: {}\n', 3, /a mapping or sequence used as a key/],
    [
      'an image in a custom resource that is not a string',
      'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: {name: x}\n',
      8,
      /the image of the "image" key is not a plain string/,
    ],
  ];
  for (const [label, text, line, message] of cases) {
    it(`refuses ${label}`, () => refuses(text, line, message));
  }

  it('refuses aliases that expand without bound (billion laughs) or refer to themselves', () => {
    const laughs = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n');
    const started = performance.now();
    assert.throws(
      () => imagesInManifest(`apiVersion: example.com/v1\nkind: Laughs\n${laughs}\n`, 'm.yaml'),
      /aliases or nesting that expand past/,
    );
    assert.ok(performance.now() - started < 2_000);
    assert.throws(
      () => imagesInManifest('apiVersion: example.com/v1\nkind: Loop\nspec: &s {child: *s}\n', 'm.yaml'),
      /aliases or nesting/,
    );
  });

  it('finds every image key in a kind it does not know (a custom resource), as the line reader did', () => {
    assert.deepEqual(
      found(
        'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: rollout/app:1\n',
      ),
      [['rollout/app:1', 8]],
    );
  });
});
