import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as r}from"./chunk-3IJ7ERXY.js";function u(e){if(typeof e!="object"||e===null)return;let t=e.dsseEnvelope;if(typeof t!="object"||t===null)return;let n=t.payload;return typeof n=="string"&&n!==""?n:void 0}r(u,"statementOf");function i(e){let t=r(s=>{try{return JSON.parse(s)}catch{return}},"parse"),n=t(e),o=(n!==void 0?[n]:e.split(`
`).filter(s=>s.trim()!=="").map(t)).map(u);return o.length>0&&o.every(s=>s!==void 0)?o:void 0}r(i,"statementsOfText");function f(e,t){let n=i(e),d=i(t);return n!==void 0&&d!==void 0&&n.length===d.length&&n.every((o,s)=>o===d[s])}r(f,"sameStatements");export{u as a,i as b,f as c};
