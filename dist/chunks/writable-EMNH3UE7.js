import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a}from"./chunk-4CHACAEK.js";import"./chunk-XZTWMH4G.js";import"./chunk-3IJ7ERXY.js";export{a as checkWritable};
