import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-VGUXWPCN.js";import"./chunk-5ERCYWNE.js";import"./chunk-DMQP6HQG.js";import"./chunk-3IJ7ERXY.js";export{b as MAX_BUNDLES_PER_FILE,c as MAX_BUNDLE_DEPTH,a as MAX_BUNDLE_FILE_BYTES,g as claimedStatement,h as claimedSubjects,f as isBareEnvelope,e as loadedJSON,d as parseBundleText};
