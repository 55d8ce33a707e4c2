import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-KBT62CMP.js";import"./chunk-XWLZPZXE.js";import"./chunk-37MHPRYO.js";import"./chunk-L4LEF4KM.js";import"./chunk-ZD5VQKYC.js";import"./chunk-27KRAXYY.js";import"./chunk-2GKIIZEE.js";import"./chunk-DIWFFFAB.js";import"./chunk-H47OZVTQ.js";import"./chunk-DALG4BIT.js";import"./chunk-Y2VL3AFD.js";import"./chunk-O5MJNMB5.js";import"./chunk-3IJ7ERXY.js";export{c as githubBundles,b as imageArtifacts,a as imageUses};
