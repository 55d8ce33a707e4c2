// One run of collectSubjects in a fresh process, for the 100,000-file row: its own wall time, its
// own peak RSS (a process's high-water mark cannot be reset, so the parent's would include every
// row before), and a sample of digests for the parent to check against sha256sum.
// Usage: node hash-tree-child.ts <bundled subjects.js URL> <workspace> <subject-path>
import type { SubjectsModule } from './bundle.ts'; // a type only: this process loads no esbuild

const [url, workspace, pattern] = process.argv.slice(2);
if (url === undefined || workspace === undefined || pattern === undefined)
  throw new Error('usage: hash-tree-child.ts <subjects.js URL> <workspace> <subject-path>');
const { collectSubjects } = (await import(url)) as SubjectsModule;
const start = performance.now();
const subjects = await collectSubjects({ paths: pattern, names: '', digests: '', checksums: '' }, { workspace });
const ms = performance.now() - start;
const names = new Set(subjects.map((s) => s.name));
const sample = subjects.filter((_, i) => i % 1000 === 0).map((s) => [s.name, s.digest['sha256'] ?? ''] as const);
process.stdout.write(
  JSON.stringify({
    ms,
    count: subjects.length,
    distinct: names.size,
    sample,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
