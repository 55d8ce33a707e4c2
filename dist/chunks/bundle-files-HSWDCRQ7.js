import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a}from"./chunk-AICUSKTG.js";import"./chunk-7SQXALDQ.js";import"./chunk-GVDS3TPQ.js";import"./chunk-VGUXWPCN.js";import"./chunk-5ERCYWNE.js";import"./chunk-H47OZVTQ.js";import"./chunk-DALG4BIT.js";import"./chunk-2FSN3YVT.js";import"./chunk-DMQP6HQG.js";import"./chunk-XZTWMH4G.js";import"./chunk-3IJ7ERXY.js";export{a as loadBundleFiles};
