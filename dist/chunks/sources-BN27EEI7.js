import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-Q5P67ISF.js";import"./chunk-4GTXWWDC.js";import"./chunk-37MHPRYO.js";import"./chunk-QSNC5VJW.js";import"./chunk-KDFRS76B.js";import"./chunk-2WJMOICP.js";import"./chunk-W4PBQ7N5.js";import"./chunk-PANIEQ7X.js";import"./chunk-H47OZVTQ.js";import"./chunk-DALG4BIT.js";import"./chunk-GDG3PG5E.js";import"./chunk-EAI5BVFA.js";import"./chunk-3IJ7ERXY.js";export{c as githubBundles,b as imageArtifacts,a as imageUses};
