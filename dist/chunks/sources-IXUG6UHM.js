import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-CSDWYPGA.js";import"./chunk-UH4HO33H.js";import"./chunk-L4LEF4KM.js";import"./chunk-ZD5VQKYC.js";import"./chunk-XMZR5LKO.js";import"./chunk-37MHPRYO.js";import"./chunk-27KRAXYY.js";import"./chunk-IQ6P6TC6.js";import"./chunk-H47OZVTQ.js";import"./chunk-DALG4BIT.js";import"./chunk-Y2VL3AFD.js";import"./chunk-O5MJNMB5.js";import"./chunk-3IJ7ERXY.js";export{c as githubBundles,b as imageArtifacts,a as imageUses};
