import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-GTI5DNVN.js";import"./chunk-OVMDIKBP.js";import"./chunk-GDG3PG5E.js";import"./chunk-EAI5BVFA.js";import"./chunk-3IJ7ERXY.js";export{c as MAX_BUNDLE_BYTES,b as MAX_MANIFEST_BYTES,a as SIGSTORE_BUNDLE_ARTIFACT,g as createBundleRegistry,f as dockerCredentials,e as formatReference,d as parseImageReference};
