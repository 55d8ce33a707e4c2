import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-BYYXTN76.js";import"./chunk-G3ZTJ3IP.js";import"./chunk-JIJZR3XR.js";import"./chunk-5OQHA5FX.js";import"./chunk-DALG4BIT.js";import"./chunk-34Y4YISU.js";import"./chunk-FBOOI5PP.js";import"./chunk-QHYFOAXU.js";import"./chunk-AHHF2PHZ.js";import"./chunk-2FSN3YVT.js";import"./chunk-H47OZVTQ.js";import"./chunk-VHHJSVT5.js";import"./chunk-EAI5BVFA.js";import"./chunk-3IJ7ERXY.js";export{c as githubBundles,b as imageArtifacts,a as imageUses};
