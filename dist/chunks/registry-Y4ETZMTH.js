import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-L4LEF4KM.js";import"./chunk-ZD5VQKYC.js";import"./chunk-27KRAXYY.js";import"./chunk-Y2VL3AFD.js";import"./chunk-O5MJNMB5.js";import"./chunk-3IJ7ERXY.js";export{c as MAX_BUNDLE_BYTES,b as MAX_MANIFEST_BYTES,a as SIGSTORE_BUNDLE_ARTIFACT,g as createBundleRegistry,f as dockerCredentials,e as formatReference,d as parseImageReference};
