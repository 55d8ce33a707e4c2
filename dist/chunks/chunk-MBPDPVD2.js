import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as t}from"./chunk-2FSN3YVT.js";import{a as r}from"./chunk-3IJ7ERXY.js";var p=r(e=>`${e.check}: expected ${t(e.expected,500)}, found ${t(e.found,500)}`,"failureText");export{p as a};
