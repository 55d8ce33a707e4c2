import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as n,d as s,f as g}from"./chunk-DMQP6HQG.js";import{a as t}from"./chunk-3IJ7ERXY.js";function d(e){return!n(e)||!n(e.digest)?[]:[{name:typeof e.name=="string"?e.name:"",digest:g(e.digest)}]}t(d,"claimedSubject");function m(e,c){let r=!1;for(let[a,i]of Object.entries(e)){let o=s(c,a);if(!(typeof o!="string"||typeof i!="string")){if(o.toLowerCase()!==i.toLowerCase())return!1;r=!0}}return r}t(m,"sameArtifact");export{d as a,m as b};
