// Hashing: streamed digests equal node:crypto's and sha256sum's, across chunk boundaries, on the
// main thread and through the worker pool, and failures become one-line errors.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { hashFile, hashFileSync, NotRegularFileError } from '../../src/subjects/hash-file.ts';
import { hashFiles } from '../../src/subjects/hash-files.ts';
import { collectSubjects, hashWorkerUrl } from '../../src/subjects/index.ts';
import { ProgressMeter, progressLine } from '../../src/subjects/progress.ts';
import type { Progress } from '../../src/subjects/progress.ts';
import { rejectsWith, tempWorkspace } from './fixtures.ts';
import type { TempWorkspace } from './fixtures.ts';

const sha = (b: string | Uint8Array): string => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;
let ws: TempWorkspace;
before(async () => {
  ws = await tempWorkspace();
});
after(() => ws.remove());

const sizes = [0, 1, 55, 64, MiB - 1, MiB, MiB + 1, 3 * MiB + 17];
for (const size of sizes) {
  void test(`hashFile of ${size} bytes equals node:crypto`, async () => {
    const data = randomBytes(size);
    const file = await ws.write(`sizes/${size}.bin`, data);
    assert.deepEqual(await hashFile(file), { sha256: sha(data), bytes: size });
    assert.deepEqual(hashFileSync(file), { sha256: sha(data), bytes: size });
  });
}

void test('hashFileSync leaves a file over maxBytes unread, and hashes one within it', async () => {
  const data = randomBytes(1000);
  const file = await ws.write('limit.bin', data);
  assert.equal(hashFileSync(file, ['sha256'], { maxBytes: 999 }), undefined);
  assert.deepEqual(hashFileSync(file, ['sha256'], { maxBytes: 1000 }), { sha256: sha(data), bytes: 1000 });
});

void test('known content gives the known digest', async () => {
  const file = await ws.write('known.txt', 'hello\n');
  assert.equal((await hashFile(file)).sha256, '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03');
});

void test('digests equal the system sha256sum', async () => {
  const files = await Promise.all(['x', 'y\n', 'z'.repeat(MiB + 3)].map((c, i) => ws.write(`sum/${i}.txt`, c)));
  const expected = execFileSync('sha256sum', files, { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.slice(0, 64));
  const ours = await hashFiles(
    files.map((f) => ({ path: f, label: f, size: 0 })),
    { concurrency: 1 },
  );
  assert.deepEqual(ours, expected);
});

void test('a 50 MB file hashes correctly', async () => {
  const data = randomBytes(50 * 1000 * 1000);
  const file = await ws.write('big.bin', data);
  assert.equal((await hashFile(file)).sha256, sha(data));
  const copy = await ws.write('big-copy.bin', data);
  const viaPool = await hashFiles(
    [
      { path: file, label: 'big.bin', size: data.length },
      { path: copy, label: 'big-copy.bin', size: data.length },
    ],
    { concurrency: 2, hashOnMainThread: false },
  );
  assert.deepEqual(viaPool, [sha(data), sha(data)]);
});

void test(
  '2,000 files through the workers, and shared with the main thread, give 2,000 correct digests',
  { timeout: 60_000 },
  async () => {
    const expected = new Map<string, string>();
    for (let i = 0; i < 2000; i++) {
      const content = `file ${i}\n`.repeat(i % 50);
      const name = `many/f${String(i).padStart(4, '0')}.txt`;
      await ws.write(name, content);
      expected.set(name, sha(content));
    }
    for (const hashOnMainThread of [false, true]) {
      const out = await collectSubjects(
        { paths: 'many', names: '', digests: '', checksums: '' },
        { workspace: ws.dir, concurrency: 2, hashOnMainThread },
      );
      assert.equal(out.length, 2000);
      for (const s of out) assert.equal(s.digest.sha256, expected.get(s.name), s.name);
    }
  },
);

void test('progress is reported at most every 2 s, with running totals and the rate since the last report', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 0 });
  const seen: Progress[] = [];
  const meter = new ProgressMeter((p) => seen.push(p));
  meter.finish(); // a run too short to report progress closes without a line
  meter.add(1, 100);
  t.mock.timers.tick(1999);
  meter.add(1, 100);
  assert.deepEqual(seen, []);
  t.mock.timers.tick(1);
  meter.add(1, 100);
  meter.add(0, 50);
  assert.deepEqual(seen, [{ files: 3, bytes: 300, seconds: 2, filesPerSecond: 1.5, bytesPerSecond: 150, done: false }]);
  t.mock.timers.tick(2000);
  meter.add(0, 50);
  assert.deepEqual(seen.at(-1), {
    files: 3,
    bytes: 400,
    seconds: 4,
    filesPerSecond: 0,
    bytesPerSecond: 50,
    done: false,
  });
  t.mock.timers.tick(1000);
  meter.add(5, 600);
  meter.finish();
  assert.equal(seen.length, 3);
  assert.deepEqual(seen.at(-1), {
    files: 8,
    bytes: 1000,
    seconds: 5,
    filesPerSecond: 1.6,
    bytesPerSecond: 200,
    done: true,
  });
});

void test('a progress line gives totals, elapsed time and rates', () => {
  const line = progressLine({
    files: 40_000,
    bytes: 40 * MiB,
    seconds: 4,
    filesPerSecond: 10_212.4,
    bytesPerSecond: 9.84 * MiB,
    done: false,
  });
  assert.equal(line, 'hashed 40,000 files (40.0 MiB) in 4.0 s: 10,212 files/s, 9.8 MiB/s');
  assert.equal(
    progressLine({
      files: 1,
      bytes: 3 * 1024 * MiB,
      seconds: 12.4,
      filesPerSecond: 0.08,
      bytesPerSecond: 250 * MiB,
      done: true,
    }),
    'hashed all 1 file (3,072 MiB) in 12 s: 0 files/s, 250 MiB/s',
  );
});

void test('progress reaches the callback from the workers, closing with the totals', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 0 });
  const files = await Promise.all(Array.from({ length: 30 }, (_, i) => ws.write(`progress/f${i}.bin`, 'x'.repeat(i))));
  const seen: Progress[] = [];
  const digests = hashFiles(
    files.map((f) => ({ path: f, label: f, size: 1 })),
    { concurrency: 2, hashOnMainThread: false, onProgress: (p) => seen.push(p) },
  );
  t.mock.timers.tick(2000); // every reply after this reports (the clock no longer moves)
  assert.equal((await digests).length, 30);
  assert.ok(seen.length >= 2, 'at least one report, and the closing one');
  assert.deepEqual(seen.at(-1), {
    files: 30,
    bytes: (29 * 30) / 2,
    seconds: 2,
    filesPerSecond: 15,
    bytesPerSecond: (29 * 30) / 2 / 2,
    done: true,
  });
});

void test('an unreadable file is SUBJECT_UNREADABLE with the OS reason, on the main thread and in the pool', async () => {
  const missing = path.join(ws.dir, 'gone.bin');
  const files = [{ path: missing, label: 'gone.bin', size: 1 }];
  await rejectsWith(hashFiles(files, { concurrency: 1 }), 'SUBJECT_UNREADABLE', '"gone.bin"', 'ENOENT');
  const ok = await ws.write('ok.bin', 'ok');
  const many = Array.from({ length: 20 }, (_, i) => (i === 13 ? files[0]! : { path: ok, label: 'ok.bin', size: 2 }));
  await rejectsWith(
    hashFiles(many, { concurrency: 2, hashOnMainThread: false }),
    'SUBJECT_UNREADABLE',
    '"gone.bin"',
    'ENOENT',
  );
  await rejectsWith(hashFiles(many, { concurrency: 2 }), 'SUBJECT_UNREADABLE', '"gone.bin"', 'ENOENT');
  // Reaching here without the test runner reporting a hang shows the workers were terminated.
});

void test(
  'a FIFO reaching the hasher (swapped in after the checks) fails at once instead of blocking',
  { timeout: 10_000 },
  async () => {
    const fifo = path.join(ws.dir, 'late-fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(hashFile(fifo), NotRegularFileError);
    assert.throws(() => hashFileSync(fifo), NotRegularFileError);
    await rejectsWith(
      hashFiles([{ path: fifo, label: 'late-fifo', size: 0 }], { concurrency: 1 }),
      'SUBJECT_NOT_REGULAR',
      '"late-fifo"',
    );
  },
);

void test('a file without read permission is SUBJECT_UNREADABLE with EACCES', async () => {
  if (process.getuid?.() !== 0) {
    const file = await ws.write('secret.bin', 'x');
    await chmod(file, 0o000);
    await rejectsWith(
      hashFiles([{ path: file, label: 'secret.bin', size: 1 }], { concurrency: 1 }),
      'SUBJECT_UNREADABLE',
      '"secret.bin"',
      'EACCES',
    );
    return;
  }
  // Root reads any file, so as root the same call runs in a child process as the unprivileged
  // "nobody". The checkout may be in a directory nobody cannot enter (a clone under /root or in
  // `mktemp -d`), so the child starts as root, loads the code, and only then drops to nobody (uid,
  // gid and groups) before it opens anything. The files are in a fresh directory nobody can enter,
  // and a readable file there is hashed first: the file's own mode is then all that stops the read.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'unreadable-'));
  try {
    await chmod(dir, 0o755);
    const open = path.join(dir, 'open.bin');
    const secret = path.join(dir, 'secret.bin');
    await writeFile(open, 'open');
    await writeFile(secret, 'x');
    await chmod(open, 0o644);
    await chmod(secret, 0o000);
    const module = new URL('../../src/subjects/hash-files.ts', import.meta.url).href;
    const script = `import { hashFiles } from ${JSON.stringify(module)};
      process.setgroups([65534]); process.setgid(65534); process.setuid(65534);
      console.log('ids ' + [process.getuid(), process.geteuid(), process.getgid(), process.getegid(), ...process.getgroups()].join(' '));
      const digests = await hashFiles([{ path: ${JSON.stringify(open)}, label: 'open.bin', size: 4 }], { concurrency: 1 });
      console.log('open ' + digests.join(' '));
      try { await hashFiles([{ path: ${JSON.stringify(secret)}, label: 'secret.bin', size: 1 }], { concurrency: 1 }); console.log('READ IT'); }
      catch (e) { console.log('error ' + JSON.stringify({ code: e.code, message: e.message })); }`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    const [ids, opened, failed = '', ...rest] = out.trimEnd().split('\n');
    assert.equal(ids, 'ids 65534 65534 65534 65534 65534', 'the child runs as nobody, with no other group');
    assert.equal(opened, `open ${sha('open')}`, `nobody can read a file in ${dir}`);
    assert.deepEqual(rest, [], out);
    assert.ok(failed.startsWith('error '), out);
    const { code, message } = JSON.parse(failed.slice('error '.length)) as { code: unknown; message: unknown };
    assert.equal(code, 'SUBJECT_UNREADABLE', out);
    assert.equal(typeof message, 'string');
    assert.match(String(message), /^[^\n]*"secret\.bin"[^\n]*EACCES[^\n]*$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

void test('the worker file is where hashWorkerUrl says, next to the hashing module', () => {
  const url = hashWorkerUrl();
  assert.ok(url.href.endsWith('/src/subjects/hash-worker.ts'));
  assert.ok(existsSync(fileURLToPath(url)));
});

void test('sha256 and sha512 in one pass, on the main thread and in the pool, equal node:crypto', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) files[`both/f${i}.bin`] = `both ${i}`.repeat(i + 1);
  for (const [name, content] of Object.entries(files)) await ws.write(name, content);
  const expected = (content: string) => ({
    sha256: createHash('sha256').update(content).digest('hex'),
    sha512: createHash('sha512').update(content).digest('hex'),
  });
  const inputs = { names: '', digests: '', checksums: '' };
  const few = await collectSubjects(
    { ...inputs, paths: 'both/f1.bin' },
    { workspace: ws.dir, algorithms: ['sha256', 'sha512'] },
  );
  assert.deepEqual(few, [{ name: 'f1.bin', digest: expected(files['both/f1.bin'] ?? '') }]);
  const many = await collectSubjects(
    { ...inputs, paths: 'both/*.bin' },
    { workspace: ws.dir, concurrency: 2, hashOnMainThread: false, algorithms: ['sha256', 'sha512'] },
  );
  assert.equal(many.length, 12);
  for (const s of many) assert.deepEqual(s.digest, expected(files[`both/${s.name}`] ?? ''), s.name);
});
