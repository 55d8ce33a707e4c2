import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{a as e}from"./chunk-3IJ7ERXY.js";function n(t,f){let r=Buffer.from(t,"utf-8");return Buffer.concat([Buffer.from(`DSSEv1 ${r.length} `,"ascii"),r,Buffer.from(` ${f.length} `,"ascii"),f])}e(n,"preAuthEncoding");export{n as a};
