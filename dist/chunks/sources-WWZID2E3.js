import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-KPCYX534.js";import"./chunk-G3ZTJ3IP.js";import"./chunk-E6HWZTTD.js";import"./chunk-EBIG7SMX.js";import"./chunk-DALG4BIT.js";import"./chunk-EM7XGEAC.js";import"./chunk-GTI5DNVN.js";import"./chunk-OVMDIKBP.js";import"./chunk-GDG3PG5E.js";import"./chunk-H47OZVTQ.js";import"./chunk-VHHJSVT5.js";import"./chunk-EAI5BVFA.js";import"./chunk-3IJ7ERXY.js";export{c as githubBundles,b as imageArtifacts,a as imageUses};
