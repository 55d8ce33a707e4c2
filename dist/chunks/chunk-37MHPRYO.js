import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as o}from"./chunk-3IJ7ERXY.js";var t=new Set(["127.0.0.1","localhost","[::1]"]);function e(n){return t.has(n)}o(e,"isLoopbackHostname");function r(n){try{return e(new URL(n).hostname)}catch{return!1}}o(r,"isLoopbackURL");export{e as a,r as b};
