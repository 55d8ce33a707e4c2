import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-3LIOSF2T.js";import"./chunk-MBBJY7XS.js";import"./chunk-37MHPRYO.js";import"./chunk-NOCHEGOZ.js";import"./chunk-KDFRS76B.js";import"./chunk-XLILLT56.js";import"./chunk-KII42HAS.js";import"./chunk-ZJ3AXFYS.js";import"./chunk-H47OZVTQ.js";import"./chunk-DALG4BIT.js";import"./chunk-GDG3PG5E.js";import"./chunk-IJFDYXVW.js";import"./chunk-3IJ7ERXY.js";export{c as githubBundles,b as imageArtifacts,a as imageUses};
