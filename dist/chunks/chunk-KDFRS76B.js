import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{b as u}from"./chunk-GDG3PG5E.js";import{a as r}from"./chunk-3IJ7ERXY.js";function a(e){if(typeof e!="object"||e===null)return;let t=e.dsseEnvelope;if(typeof t!="object"||t===null)return;let n=t.payload;return typeof n=="string"&&n!==""?n:void 0}r(a,"statementOf");function f(e){let t=r(o=>{let i=u(o);return i.ok?i.value:void 0},"parse"),n=t(e),s=(n!==void 0?[n]:e.split(`
`).filter(o=>o.trim()!=="").map(t)).map(a);return s.length>0&&s.every(o=>o!==void 0)?s:void 0}r(f,"statementsOfText");function p(e,t){let n=f(e),d=f(t);return n!==void 0&&d!==void 0&&n.length===d.length&&n.every((s,o)=>s===d[o])}r(p,"sameStatements");export{a,f as b,p as c};
