// Entry point of the bundled action (dist/index.js): run and nothing else.
import { run } from './main.ts';

await run();
