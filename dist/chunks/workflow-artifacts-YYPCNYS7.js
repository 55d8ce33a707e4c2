import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{b as a,c as b,d as c,e as d,f as e,g as f}from"./chunk-UQAZ3Q7U.js";import"./chunk-NYJD5YM2.js";import"./chunk-H47OZVTQ.js";import"./chunk-V74YULKK.js";import"./chunk-VHHJSVT5.js";import"./chunk-TR6PKQFZ.js";import"./chunk-3IJ7ERXY.js";export{a as ARTIFACT_SERVICE,d as artifactFailure,e as checkArtifactName,b as requireArtifactRuntime,f as uploadBundlesArtifact,c as withArtifactEnv};
