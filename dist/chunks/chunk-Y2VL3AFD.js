import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as e}from"./chunk-3IJ7ERXY.js";function t(r){return typeof r=="object"&&r!==null&&!Array.isArray(r)}e(t,"isObject");function o(r){try{return{ok:!0,value:JSON.parse(typeof r=="string"?r:Buffer.from(r).toString("utf8"))}}catch(n){return{ok:!1,reason:n instanceof Error?n.message:String(n)}}}e(o,"parseJSON");export{t as a,o as b};
