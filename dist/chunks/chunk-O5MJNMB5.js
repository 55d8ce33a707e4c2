import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as E}from"./chunk-3IJ7ERXY.js";var A=class extends Error{static{E(this,"ProvenanceError")}code;hint;constructor(T,_,L,N){super(_,N),this.name="ProvenanceError",this.code=T,this.hint=L}toLine(){return`${this.message}. ${this.hint} [${this.code}]`}};function r(I){return I instanceof A?I.toLine():I instanceof Error?`unexpected error: ${I.message} [INTERNAL]`:`unexpected error: ${String(I)} [INTERNAL]`}E(r,"errorLine");export{A as a,r as b};
