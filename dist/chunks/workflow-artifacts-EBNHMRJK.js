import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as c,b as d,c as e,d as f,e as g}from"./chunk-IF3YX2KA.js";import"./chunk-NYJD5YM2.js";import"./chunk-H47OZVTQ.js";import{a,c as b}from"./chunk-IGMNU4UK.js";import"./chunk-V74YULKK.js";import"./chunk-VHHJSVT5.js";import"./chunk-TR6PKQFZ.js";import"./chunk-3IJ7ERXY.js";export{a as ARTIFACT_SERVICE,e as artifactFailure,b as checkArtifactName,f as downloadArtifact,c as requireArtifactRuntime,g as uploadBundlesArtifact,d as withArtifactEnv};
