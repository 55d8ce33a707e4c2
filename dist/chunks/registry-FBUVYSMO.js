import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-XWEUDDKK.js";import"./chunk-NESP6EJZ.js";import"./chunk-2FSN3YVT.js";import"./chunk-DMQP6HQG.js";import"./chunk-TR6PKQFZ.js";import"./chunk-3IJ7ERXY.js";export{c as MAX_BUNDLE_BYTES,b as MAX_MANIFEST_BYTES,d as MAX_REGISTRY_READ_BYTES,a as SIGSTORE_BUNDLE_ARTIFACT,h as createBundleRegistry,g as dockerCredentials,f as formatReference,e as parseImageReference};
