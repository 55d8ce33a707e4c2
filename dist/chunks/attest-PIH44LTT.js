import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-3NLOY642.js";import"./chunk-TFWLKAVL.js";import"./chunk-NYJD5YM2.js";import"./chunk-PEAL4IHX.js";import"./chunk-LVKSSYFB.js";import"./chunk-V74YULKK.js";import"./chunk-H47OZVTQ.js";import"./chunk-ZYSPTFMX.js";import"./chunk-DV6T3W42.js";import"./chunk-MPF2WLDX.js";import"./chunk-27KRAXYY.js";import"./chunk-O5MJNMB5.js";import"./chunk-3IJ7ERXY.js";export{c as attest,a as openSigningSession,b as signStatements};
