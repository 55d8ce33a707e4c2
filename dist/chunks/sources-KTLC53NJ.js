import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-H4SNGANX.js";import"./chunk-G3ZTJ3IP.js";import"./chunk-E5D4XXZH.js";import"./chunk-JRTYSAIT.js";import"./chunk-DALG4BIT.js";import"./chunk-NCDQRDBA.js";import"./chunk-F755UKIL.js";import"./chunk-2SV2D7TC.js";import"./chunk-2FSN3YVT.js";import"./chunk-GDG3PG5E.js";import"./chunk-H47OZVTQ.js";import"./chunk-VHHJSVT5.js";import"./chunk-EAI5BVFA.js";import"./chunk-3IJ7ERXY.js";export{c as githubBundles,b as imageArtifacts,a as imageUses};
