import { createRequire as __provenanceCreateRequire } from 'node:module';
const require = __provenanceCreateRequire(import.meta.url);
import{e,f as a}from"./chunks/chunk-DV6T3W42.js";import"./chunks/chunk-3IJ7ERXY.js";import{parentPort as i}from"node:worker_threads";var s=i;if(!s)throw new Error("hash-worker must run as a worker thread");s.on("message",r=>{let t;try{let{bytes:o,...h}=e(r.path,r.algorithms);t={id:r.id,digests:h,bytes:o}}catch(o){t={id:r.id,failure:a(o)}}s.postMessage(t)});
