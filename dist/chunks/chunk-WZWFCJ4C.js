import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as n}from"./chunk-3IJ7ERXY.js";var p="https://in-toto.io/Statement/v1",a="application/vnd.in-toto+json";function c(t,i,s,o=1024){let r=[];for(let e=0;e<t.length;e+=o)r.push({_type:p,subject:t.slice(e,e+o).map(T=>({name:T.name,digest:{...T.digest}})),predicateType:i,predicate:s});return r}n(c,"buildStatements");function S(t){return Buffer.from(JSON.stringify(t),"utf8")}n(S,"statementBytes");export{a,c as b,S as c};
