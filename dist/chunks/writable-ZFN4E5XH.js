import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a}from"./chunk-2SUVPBKB.js";import"./chunk-TR6PKQFZ.js";import"./chunk-3IJ7ERXY.js";export{a as checkWritable};
