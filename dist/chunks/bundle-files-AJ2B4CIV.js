import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c,d}from"./chunk-LNI5KZRH.js";import"./chunk-TR6PKQFZ.js";import"./chunk-3IJ7ERXY.js";export{a as MULTIPLE_SUBJECTS_FILE,c as bundleTarget,b as safeFileStem,d as serializeBundles};
