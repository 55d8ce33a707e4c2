import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a}from"./chunk-JKF4UNFI.js";import"./chunk-3TFORQBM.js";import"./chunk-EYSUV7US.js";import"./chunk-VGUXWPCN.js";import"./chunk-5ERCYWNE.js";import"./chunk-H47OZVTQ.js";import"./chunk-DALG4BIT.js";import"./chunk-2FSN3YVT.js";import"./chunk-DMQP6HQG.js";import"./chunk-TR6PKQFZ.js";import"./chunk-3IJ7ERXY.js";export{a as loadBundleFiles};
