import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-ZBLUDUBB.js";import"./chunk-G3ZTJ3IP.js";import"./chunk-XDZIZKEG.js";import"./chunk-TS7THQRU.js";import"./chunk-DALG4BIT.js";import"./chunk-M4CYCREE.js";import"./chunk-R32P5Z2B.js";import"./chunk-2SV2D7TC.js";import"./chunk-GDG3PG5E.js";import"./chunk-H47OZVTQ.js";import"./chunk-VHHJSVT5.js";import"./chunk-EAI5BVFA.js";import"./chunk-3IJ7ERXY.js";export{c as githubBundles,b as imageArtifacts,a as imageUses};
