import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as o}from"./chunk-3IJ7ERXY.js";function t(n){return n instanceof Error&&typeof n.code=="string"}o(t,"isErrno");function i(n){if(t(n)&&n.code!==void 0){let e=/^[A-Z]+: ([^,]+)/.exec(n.message);return e?.[1]!==void 0?`${n.code}: ${e[1]}`:n.code}return n instanceof Error?n.message:String(n)}o(i,"reason");export{t as a,i as b};
